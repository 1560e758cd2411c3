//! Emulated time: instants in .NET ticks (100 ns since 0001-01-01T00:00:00Z, what the service's
//! timestamps are made of), their ISO 8601 text, and `Edm.Duration` text.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

const TICKS_PER_SECOND: i64 = 10_000_000;
const SECONDS_PER_DAY: i64 = 86_400;
/// Days from 0001-01-01 to 1970-01-01.
const UNIX_EPOCH_DAYS: i64 = 719_162;

/// An instant of emulated time, in ticks of 100 ns since `0001-01-01T00:00:00Z`.
///
/// `Instant::MIN` is the service's "never" (`0001-01-01T00:00:00Z`). In JSON (snapshots) an instant
/// is its ISO 8601 text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Instant(i64);

impl Instant {
    /// `0001-01-01T00:00:00Z`, the service's "never".
    pub const MIN: Instant = Instant(0);

    /// The current wall-clock time.
    pub fn now() -> Instant {
        let since = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        Instant(
            (UNIX_EPOCH_DAYS * SECONDS_PER_DAY + since.as_secs() as i64) * TICKS_PER_SECOND
                + i64::from(since.subsec_nanos() / 100),
        )
    }

    /// The instant `seconds` (whole or fractional) after this one; negative goes back.
    #[cfg(test)]
    pub fn plus_seconds(self, seconds: f64) -> Instant {
        Instant(
            self.0
                .saturating_add((seconds * TICKS_PER_SECOND as f64) as i64)
                .max(0),
        )
    }

    /// The instant `ticks` (100 ns) after this one.
    pub fn plus_ticks(self, ticks: i64) -> Instant {
        Instant(self.0.saturating_add(ticks).max(0))
    }

    /// Ticks (100 ns) from `earlier` to `self` (negative when `earlier` is later).
    pub fn ticks_since(self, earlier: Instant) -> i64 {
        self.0 - earlier.0
    }

    /// Parses ISO 8601 / RFC 3339 date-time text (`2019-11-20T16:15:21.116098Z`, any number of
    /// fractional digits, `Z` or a `±hh:mm` offset).
    pub fn parse(text: &str) -> Option<Instant> {
        let b = text.as_bytes();
        let num = |range: std::ops::Range<usize>| -> Option<i64> {
            let part = text.get(range)?;
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't') {
            return None;
        }
        if b[13] != b':' || b[16] != b':' {
            return None;
        }
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
        if !(1..=12).contains(&month)
            || day < 1
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 59
            || year < 1
        {
            return None;
        }
        let mut rest = &text[19..];
        let mut fraction = 0i64;
        if let Some(digits) = rest.strip_prefix('.') {
            let len = digits.bytes().take_while(u8::is_ascii_digit).count();
            if len == 0 {
                return None;
            }
            for (i, c) in digits[..len].bytes().enumerate() {
                if i < 7 {
                    fraction = fraction * 10 + i64::from(c - b'0');
                }
            }
            for _ in len..7 {
                fraction *= 10;
            }
            rest = &digits[len..];
        }
        let offset_seconds = match rest {
            "Z" | "z" => 0,
            _ => {
                let rb = rest.as_bytes();
                if rb.len() != 6 || !matches!(rb[0], b'+' | b'-') || rb[3] != b':' {
                    return None;
                }
                let h: i64 = rest[1..3].parse().ok()?;
                let m: i64 = rest[4..6].parse().ok()?;
                if h > 23 || m > 59 {
                    return None;
                }
                let sign = if rb[0] == b'-' { -1 } else { 1 };
                sign * (h * 3600 + m * 60)
            }
        };
        let days = days_from_civil(year, month, day);
        let seconds = days * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second - offset_seconds;
        if seconds < 0 {
            return None;
        }
        Some(Instant(seconds * TICKS_PER_SECOND + fraction))
    }
}

impl fmt::Display for Instant {
    /// `YYYY-MM-DDThh:mm:ss[.fffffff]Z`, the fraction without trailing zeros, as the service writes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = self.0 / TICKS_PER_SECOND;
        let fraction = self.0 % TICKS_PER_SECOND;
        let (days, secs) = (seconds / SECONDS_PER_DAY, seconds % SECONDS_PER_DAY);
        let (y, m, d) = civil_from_days(days);
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )?;
        if fraction != 0 {
            let digits = format!("{fraction:07}");
            write!(f, ".{}", digits.trim_end_matches('0'))?;
        }
        f.write_str("Z")
    }
}

impl Serialize for Instant {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Instant {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Instant::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not an ISO 8601 date-time: {text:?}")))
    }
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 0001-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm, shifted).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468 + UNIX_EPOCH_DAYS
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days - UNIX_EPOCH_DAYS + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Parses an `Edm.Duration` (xs:dayTimeDuration: `[-]P[nD][T[nH][nM][n[.f]S]]`) into ticks.
pub fn parse_duration(text: &str) -> Option<i64> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let rest = rest.strip_prefix('P')?;
    let (date, time) = match rest.split_once('T') {
        Some((date, time)) if !time.is_empty() => (date, Some(time)),
        Some(_) => return None,
        None => (rest, None),
    };
    let mut ticks: i128 = 0;
    let mut any = false;
    if !date.is_empty() {
        let days = date.strip_suffix('D')?;
        ticks += i128::from(whole(days)?) * i128::from(SECONDS_PER_DAY * TICKS_PER_SECOND);
        any = true;
    }
    if let Some(mut time) = time {
        for (unit, scale) in [('H', 3600), ('M', 60)] {
            if let Some((n, after)) = time.split_once(unit) {
                ticks += i128::from(whole(n)?) * i128::from(scale * TICKS_PER_SECOND);
                time = after;
                any = true;
            }
        }
        if !time.is_empty() {
            let seconds = time.strip_suffix('S')?;
            let (int, frac) = seconds.split_once('.').unwrap_or((seconds, ""));
            ticks += i128::from(whole(int)?) * i128::from(TICKS_PER_SECOND);
            if seconds.contains('.') {
                if frac.is_empty() || !frac.bytes().all(|c| c.is_ascii_digit()) {
                    return None;
                }
                let mut f: i128 = 0;
                for i in 0..7 {
                    f = f * 10 + frac.as_bytes().get(i).map_or(0, |c| i128::from(c - b'0'));
                }
                ticks += f;
            }
            any = true;
        }
    }
    if !any {
        return None;
    }
    let ticks = i64::try_from(ticks).ok()?;
    Some(if negative { -ticks } else { ticks })
}

fn whole(text: &str) -> Option<i64> {
    if text.is_empty() || !text.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Ticks as an `Edm.Duration`, e.g. `PT40M`, `P1DT2H`.
#[cfg(test)]
pub fn format_duration(ticks: i64) -> String {
    let mut out = String::new();
    if ticks < 0 {
        out.push('-');
    }
    let ticks = ticks.unsigned_abs();
    let tps = TICKS_PER_SECOND as u64;
    let (seconds, fraction) = (ticks / tps, ticks % tps);
    let days = seconds / SECONDS_PER_DAY as u64;
    let (h, m, s) = (seconds / 3600 % 24, seconds / 60 % 60, seconds % 60);
    out.push('P');
    if days > 0 {
        out.push_str(&format!("{days}D"));
    }
    if h > 0 || m > 0 || s > 0 || fraction > 0 || days == 0 {
        out.push('T');
        if h > 0 {
            out.push_str(&format!("{h}H"));
        }
        if m > 0 {
            out.push_str(&format!("{m}M"));
        }
        if s > 0 || fraction > 0 || (h == 0 && m == 0) {
            out.push_str(&s.to_string());
            if fraction > 0 {
                out.push('.');
                out.push_str(format!("{fraction:07}").trim_end_matches('0'));
            }
            out.push('S');
        }
    }
    out
}

/// Ticks in one second.
pub const SECOND: i64 = TICKS_PER_SECOND;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_print_as_the_service_writes_them() {
        assert_eq!(Instant::MIN.to_string(), "0001-01-01T00:00:00Z");
        for text in [
            "2019-11-20T16:15:21.116098Z",
            "2019-11-20T16:17:24.7957721Z",
            "2024-02-29T00:00:00Z",
        ] {
            assert_eq!(Instant::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(
            Instant::parse("2019-11-20T17:15:21+01:00")
                .unwrap()
                .to_string(),
            "2019-11-20T16:15:21Z"
        );
        for bad in [
            "",
            "2019-13-01T00:00:00Z",
            "2019-02-30T00:00:00Z",
            "2019-11-20 16:15:21Z",
            "2019-11-20T16:15:21",
            "2019-11-20T16:15:21.Z",
            "0000-01-01T00:00:00Z",
        ] {
            assert_eq!(Instant::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn durations_parse_and_print() {
        let max = parse_duration("P10675199DT2H48M5.4775807S").unwrap();
        assert_eq!(max, i64::MAX);
        assert_eq!(format_duration(max), "P10675199DT2H48M5.4775807S");
        assert_eq!(parse_duration("PT40M"), Some(40 * 60 * SECOND));
        assert_eq!(format_duration(40 * 60 * SECOND), "PT40M");
        assert_eq!(parse_duration("-PT1M12.6316819S"), Some(-726_316_819));
        assert_eq!(format_duration(0), "PT0S");
        for bad in ["", "P", "PT", "P1H", "PT1D", "PT1.S", "PTS", "P1Y", "PT-1S"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }
}
