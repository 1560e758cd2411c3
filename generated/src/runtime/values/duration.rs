//! `Edm.Duration`: an ISO-8601 duration as .NET `TimeSpan` writes it, kept exactly as received.

use std::fmt;
use std::str::FromStr;
use std::time::Duration as StdDuration;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ValueError;

const KIND: &str = "duration";
const TICKS_PER_SECOND: i128 = 10_000_000;
const TICKS_PER_MINUTE: i128 = 60 * TICKS_PER_SECOND;
const TICKS_PER_HOUR: i128 = 60 * TICKS_PER_MINUTE;
const TICKS_PER_DAY: i128 = 24 * TICKS_PER_HOUR;

/// An OData `Duration` as .NET `TimeSpan` writes it: an optional `-`, then
/// `P[nD][T[nH][nM][n[.fffffff]S]]`, stored as 100 ns ticks (`i64`, like `TimeSpan`).
///
/// The received text is written back exactly (equality compares it), so
/// `P10675199DT2H48M5.4775807S` (`TimeSpan.MaxValue`, which the service sends for disabled
/// schedules) round-trips. Years, months and weeks are refused (their length is ambiguous).
///
/// # Malformed values
///
/// One odd interval must not cost a whole response (a list of 100 jobs), so deserializing never fails
/// on the text of a string: a string that is not a duration is kept as an *invalid value*.
/// [`is_valid`](Self::is_valid) is `false`, [`parse_error`](Self::parse_error) says why, the text is
/// in [`as_str`](Self::as_str) and is written back unchanged, [`ticks`](Self::ticks) is 0 and
/// [`to_std`](Self::to_std) is `None`. The strict parse stays available: [`parse`](Self::parse) and
/// `FromStr` return the error, and [`deserialize_strict`](Self::deserialize_strict) fails a field with
/// it (`#[serde(deserialize_with = "Duration::deserialize_strict")]`).
///
/// ```
/// # use msgraph_sync::Duration;
/// let odd: Duration = serde_json::from_str(r#""P1Y""#).unwrap();
/// assert!(!odd.is_valid());
/// assert_eq!(odd.as_str(), "P1Y");
/// assert!(odd.parse_error().unwrap().reason().starts_with("years, months and weeks"));
/// assert_eq!(serde_json::to_string(&odd).unwrap(), r#""P1Y""#);
/// assert_eq!((odd.ticks(), odd.to_std()), (0, None));
/// ```
///
/// ```
/// # use msgraph_sync::Duration;
/// let d: Duration = "PT20M".parse().unwrap();
/// assert_eq!(d.to_std(), Some(std::time::Duration::from_secs(1200)));
/// let max: Duration = "P10675199DT2H48M5.4775807S".parse().unwrap();
/// assert_eq!(max.ticks(), i64::MAX);
/// let neg: Duration = "-PT1M12.6316819S".parse().unwrap();
/// assert_eq!(neg.ticks(), -726_316_819);
/// assert_eq!(neg.to_std(), None);
/// assert!("20 minutes".parse::<Duration>().is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Duration {
    /// `None` for an invalid value.
    ticks: Option<i64>,
    text: Box<str>,
}

fn parse(s: &str) -> Result<i64, ValueError> {
    let err = |reason: &'static str| ValueError::new(KIND, s, reason);
    let b = s.as_bytes();
    let mut i = 0;
    let negative = match b.first() {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    if b.get(i) != Some(&b'P') {
        return Err(err("expected an ISO-8601 duration such as PT20M or P1DT2H"));
    }
    i += 1;
    let mut total: i128 = 0;
    let mut components = 0;
    let mut in_time = false;
    // Designators already seen, to enforce D, then T, then H, M, S, each at most once.
    let mut last_rank = 0;
    while i < b.len() {
        if b[i] == b'T' {
            if in_time {
                return Err(err("'T' appears twice"));
            }
            in_time = true;
            i += 1;
            if i == b.len() {
                return Err(err("'T' must be followed by hours, minutes or seconds"));
            }
            continue;
        }
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return Err(err("expected a number before each designator"));
        }
        if i - start > 20 {
            return Err(err("the number is too large"));
        }
        let whole: i128 = s[start..i]
            .parse()
            .map_err(|_| err("the number is too large"))?;
        let mut fraction: i128 = 0;
        let mut has_fraction = false;
        if matches!(b.get(i), Some(b'.' | b',')) {
            i += 1;
            let fstart = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == fstart {
                return Err(err("a '.' must be followed by digits"));
            }
            has_fraction = true;
            // Keep 7 digits (ticks); further digits are below the resolution and are dropped.
            for k in 0..7 {
                let digit = b
                    .get(fstart + k)
                    .filter(|_| fstart + k < i)
                    .map_or(0, |d| i128::from(d - b'0'));
                fraction = fraction * 10 + digit;
            }
        }
        let Some(&designator) = b.get(i) else {
            return Err(err(
                "a number must be followed by a designator (D, H, M or S)",
            ));
        };
        i += 1;
        let (rank, unit) = match (in_time, designator) {
            (false, b'D') => (1, TICKS_PER_DAY),
            (true, b'H') => (2, TICKS_PER_HOUR),
            (true, b'M') => (3, TICKS_PER_MINUTE),
            (true, b'S') => (4, TICKS_PER_SECOND),
            (false, b'Y' | b'M' | b'W') => {
                return Err(err(
                    "years, months and weeks are not supported (their length is ambiguous)",
                ));
            }
            (false, b'H' | b'S') => return Err(err("hours and seconds must come after 'T'")),
            _ => return Err(err("unexpected designator; expected D, T, H, M or S")),
        };
        if rank <= last_rank {
            return Err(err(
                "designators must appear once each, in the order D, H, M, S",
            ));
        }
        if has_fraction && rank != 4 {
            return Err(err("only seconds may have a fraction"));
        }
        last_rank = rank;
        components += 1;
        total = whole
            .checked_mul(unit)
            .and_then(|t| t.checked_add(fraction))
            .and_then(|t| t.checked_add(total))
            .ok_or_else(|| err("the duration is too long"))?;
    }
    if components == 0 {
        return Err(err("a duration needs at least one component, e.g. PT0S"));
    }
    let signed = if negative { -total } else { total };
    i64::try_from(signed)
        .map_err(|_| err("the duration does not fit in a .NET TimeSpan (±10675199 days)"))
}

fn format(ticks: i64) -> String {
    let mut s = String::new();
    if ticks < 0 {
        s.push('-');
    }
    let t = ticks.unsigned_abs();
    let per_second = 10_000_000u64;
    let days = t / (86_400 * per_second);
    let rem = t % (86_400 * per_second);
    let hours = rem / (3600 * per_second);
    let minutes = rem % (3600 * per_second) / (60 * per_second);
    let seconds = rem % (60 * per_second) / per_second;
    let fraction = rem % per_second;
    s.push('P');
    if days > 0 {
        s.push_str(&format!("{days}D"));
    }
    if hours > 0 || minutes > 0 || seconds > 0 || fraction > 0 || days == 0 {
        s.push('T');
        if hours > 0 {
            s.push_str(&format!("{hours}H"));
        }
        if minutes > 0 {
            s.push_str(&format!("{minutes}M"));
        }
        if seconds > 0 || fraction > 0 || (hours == 0 && minutes == 0) {
            s.push_str(&seconds.to_string());
            if fraction > 0 {
                let f = format!("{fraction:07}");
                s.push('.');
                s.push_str(f.trim_end_matches('0'));
            }
            s.push('S');
        }
    }
    s
}

impl Duration {
    /// Parses an ISO-8601 duration (see the type docs).
    pub fn parse(s: &str) -> Result<Self, ValueError> {
        let ticks = parse(s)?;
        Ok(Self {
            ticks: Some(ticks),
            text: s.into(),
        })
    }

    /// The value as read from the service: like [`parse`](Self::parse), but text that is not a
    /// duration gives an invalid value keeping it (see the type docs) instead of an error. This is what
    /// deserializing does.
    pub fn from_wire(s: &str) -> Self {
        Self {
            ticks: parse(s).ok(),
            text: s.into(),
        }
    }

    /// Deserializes strictly: a string that is not a duration is an error naming the reason. For
    /// `#[serde(deserialize_with = "Duration::deserialize_strict")]`.
    pub fn deserialize_strict<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Self, D::Error> {
        let value = Self::deserialize(deserializer)?;
        match value.parse_error() {
            Some(error) => Err(serde::de::Error::custom(error)),
            None => Ok(value),
        }
    }

    /// `false` for an invalid value: text read from the service that is not a duration (see the type
    /// docs).
    pub fn is_valid(&self) -> bool {
        self.ticks.is_some()
    }

    /// Why an invalid value is not a duration; `None` for a valid value.
    pub fn parse_error(&self) -> Option<ValueError> {
        match self.ticks {
            Some(_) => None,
            None => parse(&self.text).err(),
        }
    }

    /// A duration of `ticks` × 100 ns, written canonically (`PT20M`, `-PT1M12.6316819S`).
    pub fn from_ticks(ticks: i64) -> Self {
        Self {
            ticks: Some(ticks),
            text: format(ticks).into(),
        }
    }

    /// A duration from a [`std::time::Duration`] (truncated to 100 ns); fails beyond
    /// `TimeSpan.MaxValue`.
    pub fn from_std(duration: StdDuration) -> Result<Self, ValueError> {
        let ticks = duration.as_nanos() / 100;
        i64::try_from(ticks).map(Self::from_ticks).map_err(|_| {
            ValueError::new(
                KIND,
                &format!("{duration:?}"),
                "the duration does not fit in a .NET TimeSpan",
            )
        })
    }

    /// .NET's `TimeSpan.MaxValue`, `P10675199DT2H48M5.4775807S`.
    pub fn max_value() -> Self {
        Self::from_ticks(i64::MAX)
    }

    /// The length in 100 ns ticks (negative for negative durations; 0 for an invalid value, see
    /// [`is_valid`](Self::is_valid)).
    pub fn ticks(&self) -> i64 {
        self.ticks.unwrap_or(0)
    }

    /// Whether the duration is negative (`false` for an invalid value).
    pub fn is_negative(&self) -> bool {
        self.ticks() < 0
    }

    /// Whether this is `TimeSpan.MaxValue` (the service uses it for "no interval").
    pub fn is_max_value(&self) -> bool {
        self.ticks == Some(i64::MAX)
    }

    /// The duration as a [`std::time::Duration`], or `None` when negative or invalid.
    pub fn to_std(&self) -> Option<StdDuration> {
        let ticks = u64::try_from(self.ticks?).ok()?;
        let secs = ticks / 10_000_000;
        let nanos = u32::try_from(ticks % 10_000_000 * 100).ok()?;
        Some(StdDuration::new(secs, nanos))
    }

    /// The text as received (or as built); for an invalid value, the text that is not a duration.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl Default for Duration {
    /// Zero, `PT0S`.
    fn default() -> Self {
        Self::from_ticks(0)
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Duration {
    /// `Duration("PT20M")`, or `Duration(invalid "...")`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let invalid = if self.is_valid() { "" } else { "invalid " };
        write!(f, "Duration({invalid}{:?})", &*self.text)
    }
}

impl FromStr for Duration {
    type Err = ValueError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Duration;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an ISO-8601 duration string such as PT20M")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Duration, E> {
                Ok(Duration::from_wire(v))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Duration {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn service_values() {
        assert_eq!(d("PT20M").ticks(), 20 * 60 * 10_000_000);
        assert_eq!(d("PT40M").to_std(), Some(StdDuration::from_secs(2400)));
        assert_eq!(d("PT2M").to_std(), Some(StdDuration::from_secs(120)));
        let max = d("P10675199DT2H48M5.4775807S");
        assert_eq!(max.ticks(), i64::MAX);
        assert!(max.is_max_value());
        assert_eq!(max, Duration::max_value());
        assert_eq!(
            max.to_std(),
            Some(StdDuration::new(922_337_203_685, 477_580_700))
        );
        let neg = d("-PT1M12.6316819S");
        assert_eq!(neg.ticks(), -(72 * 10_000_000 + 6_316_819));
        assert!(neg.is_negative());
        assert_eq!(neg.to_std(), None);
    }

    #[test]
    fn round_trips_exact_text() {
        for s in [
            "PT20M",
            "P1D",
            "P1DT0H",
            "PT0S",
            "PT1.5S",
            "PT1.50S",
            "PT0.0000001S",
            "-PT1M12.6316819S",
            "P10675199DT2H48M5.4775807S",
            "P0D",
            "PT36H",
        ] {
            let v = d(s);
            assert_eq!(v.to_string(), s);
            assert_eq!(serde_json::to_string(&v).unwrap(), format!("\"{s}\""));
            assert_eq!(
                serde_json::from_str::<Duration>(&format!("\"{s}\"")).unwrap(),
                v
            );
        }
        assert_eq!(d("PT36H").ticks(), d("P1DT12H").ticks());
        assert_eq!(d("PT1.123456789S").ticks(), 11_234_567);
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(Duration::from_ticks(0).as_str(), "PT0S");
        assert_eq!(
            Duration::from_ticks(i64::MAX).as_str(),
            "P10675199DT2H48M5.4775807S"
        );
        assert_eq!(
            Duration::from_ticks(i64::MIN).as_str(),
            "-P10675199DT2H48M5.4775808S"
        );
        assert_eq!(
            Duration::from_ticks(-726_316_819).as_str(),
            "-PT1M12.6316819S"
        );
        assert_eq!(
            Duration::from_std(StdDuration::from_secs(1200))
                .unwrap()
                .as_str(),
            "PT20M"
        );
        assert_eq!(
            Duration::from_std(StdDuration::from_secs(86_400 + 3600))
                .unwrap()
                .as_str(),
            "P1DT1H"
        );
        assert_eq!(
            Duration::from_std(StdDuration::from_millis(1500))
                .unwrap()
                .as_str(),
            "PT1.5S"
        );
        assert_eq!(
            Duration::from_std(StdDuration::from_secs(86_400))
                .unwrap()
                .as_str(),
            "P1D"
        );
        assert!(Duration::from_std(StdDuration::MAX).is_err());
        assert_eq!(d("-P10675199DT2H48M5.4775808S").ticks(), i64::MIN);
        for t in [
            0,
            1,
            -1,
            9_999_999,
            36_000_000_000,
            i64::MAX,
            i64::MIN,
            123_456_789_012_345,
        ] {
            assert_eq!(d(Duration::from_ticks(t).as_str()).ticks(), t);
        }
        assert_eq!(Duration::default().as_str(), "PT0S");
        assert_eq!(format!("{:?}", d("PT2M")), "Duration(\"PT2M\")");
    }

    #[test]
    fn rejects_malformed_input_without_panicking() {
        for bad in [
            "",
            "P",
            "PT",
            "-",
            "-P",
            "T1H",
            "1H",
            "PT1",
            "P1H",
            "PT1D",
            "P1Y",
            "P1M",
            "P1W",
            "PT1M1H",
            "PT1H1H",
            "P1DT",
            "PTT1H",
            "PT1.S",
            "PT1.5M",
            "PT-1S",
            "P1DP1D",
            "PT1Sx",
            " PT1S",
            "PT١S",
            "PTéS",
            "P10675199DT2H48M5.4775808S",
            "P99999999999999999999D",
            "P999999999999999999999D",
            "--PT1S",
        ] {
            let e = bad.parse::<Duration>().unwrap_err();
            assert!(e.to_string().starts_with("invalid duration"), "{bad}: {e}");
        }
        assert!(serde_json::from_str::<Duration>("12").is_err());
    }

    #[test]
    fn malformed_text_is_kept_when_read_and_refused_when_strict() {
        for bad in ["", "P1Y", "20 minutes", "P10675199DT2H48M5.4775808S"] {
            let json = serde_json::to_string(bad).unwrap();
            let v: Duration = serde_json::from_str(&json).unwrap();
            assert!(!v.is_valid(), "{bad}");
            assert_eq!(v.as_str(), bad);
            assert_eq!(serde_json::to_string(&v).unwrap(), json);
            let strict = Duration::parse(bad).unwrap_err();
            assert_eq!(v.parse_error(), Some(strict.clone()));
            assert_eq!(
                (v.ticks(), v.to_std(), v.is_negative(), v.is_max_value()),
                (0, None, false, false)
            );
            assert_eq!(format!("{v:?}"), format!("Duration(invalid {bad:?})"));
            let mut de = serde_json::Deserializer::from_str(&json);
            let err = Duration::deserialize_strict(&mut de).unwrap_err();
            assert_eq!(err.to_string(), strict.to_string());
        }
        let v = Duration::from_wire("PT20M");
        assert!(v.is_valid() && v.parse_error().is_none());
        assert_eq!(v, d("PT20M"));
        let mut de = serde_json::Deserializer::from_str(r#""PT20M""#);
        assert_eq!(Duration::deserialize_strict(&mut de).unwrap(), v);
        assert_ne!(Duration::from_wire("x"), Duration::from_ticks(0));
    }
}
