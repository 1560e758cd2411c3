//! `Edm.DateTimeOffset`: an ISO-8601 date-time with a UTC offset, kept exactly as received.

use std::fmt;
use std::str::FromStr;
use std::time::{Duration as StdDuration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ValueError;

const KIND: &str = "date-time";
const SHAPE: &str = "expected YYYY-MM-DDThh:mm:ss[.fffffff](Z|±hh:mm)";

/// An OData `DateTimeOffset`: `YYYY-MM-DDThh:mm:ss[.fffffff](Z|±hh:mm)`, with up to 7
/// fractional digits (100 ns ticks; up to 9 are accepted).
///
/// What was received is written back byte for byte (the number of fraction digits, `Z` versus
/// `+00:00`), so a read-modify-write never changes a value by accident; equality compares that
/// text. Two service quirks are accepted: `0001-01-01T00:00:00Z` (.NET's `MinValue`, meaning
/// "never", see [`is_min_value`](Self::is_min_value)) and the empty string `""` that the service
/// sends for some unset non-null date-times (the *empty value*: [`is_empty`](Self::is_empty) is
/// `true`, it has no parts, and it is written back as `""`). A missing offset is read as UTC.
///
/// # Malformed values
///
/// One odd value must not cost a whole response (a list of 100 jobs), so deserializing never fails on
/// the text of a string: a string that is not a date-time is kept as an *invalid value*.
/// [`is_valid`](Self::is_valid) is `false`, [`parse_error`](Self::parse_error) says why, the text is
/// in [`as_str`](Self::as_str) and is written back unchanged, and the parts read as for the empty
/// value (0, `None`). The strict parse stays available: [`parse`](Self::parse) and `FromStr` return
/// the error, and [`deserialize_strict`](Self::deserialize_strict) fails a field with it
/// (`#[serde(deserialize_with = "DateTimeOffset::deserialize_strict")]`).
///
/// ```
/// # use msgraph_sync::DateTimeOffset;
/// let odd: DateTimeOffset = serde_json::from_str(r#""2024-02-30T00:00:00Z""#).unwrap();
/// assert!(!odd.is_valid());
/// assert_eq!(odd.as_str(), "2024-02-30T00:00:00Z");
/// assert_eq!(odd.parse_error().unwrap().reason(), "the day does not exist in that month");
/// assert_eq!(serde_json::to_string(&odd).unwrap(), r#""2024-02-30T00:00:00Z""#);
/// assert_eq!(odd.unix_timestamp(), None);
/// ```
///
/// ```
/// # use msgraph_sync::DateTimeOffset;
/// let t: DateTimeOffset = "2022-04-21T18:40:07.8465145Z".parse().unwrap();
/// assert_eq!((t.year(), t.month(), t.day(), t.nanosecond()), (2022, 4, 21, 846_514_500));
/// assert_eq!(t.to_string(), "2022-04-21T18:40:07.8465145Z");
/// assert!("0001-01-01T00:00:00Z".parse::<DateTimeOffset>().unwrap().is_min_value());
/// assert!("".parse::<DateTimeOffset>().unwrap().is_empty());
/// assert!("2022-02-30T00:00:00Z".parse::<DateTimeOffset>().is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct DateTimeOffset {
    repr: Repr,
}

#[derive(Clone, PartialEq, Eq, Hash)]
enum Repr {
    Empty,
    Value {
        parts: Parts,
        text: Box<str>,
    },
    /// Text that is not a date-time, kept to be written back.
    Invalid(Box<str>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Parts {
    year: u16,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
    nanos: u32,
    offset_minutes: i16,
}

fn is_leap(year: u32) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year,
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

fn digits(b: &[u8], start: usize, len: usize) -> Option<u32> {
    let slice = b.get(start..start + len)?;
    slice.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

fn parse(s: &str) -> Result<Parts, ValueError> {
    let err = |reason: &'static str| ValueError::new(KIND, s, reason);
    let b = s.as_bytes();
    let sep = |i: usize, allowed: &[u8]| b.get(i).is_some_and(|c| allowed.contains(c));
    if b.len() < 19
        || !sep(4, b"-")
        || !sep(7, b"-")
        || !sep(10, b"Tt")
        || !sep(13, b":")
        || !sep(16, b":")
    {
        return Err(err(SHAPE));
    }
    let field = |start: usize, len: usize| digits(b, start, len).ok_or_else(|| err(SHAPE));
    let (year, month, day) = (field(0, 4)?, field(5, 2)?, field(8, 2)?);
    let (hour, minute, second) = (field(11, 2)?, field(14, 2)?, field(17, 2)?);
    if year == 0 {
        return Err(err("year 0000 does not exist; the earliest is 0001"));
    }
    if !(1..=12).contains(&month) {
        return Err(err("the month must be 01 to 12"));
    }
    if day == 0 || day > days_in_month(year, month) {
        return Err(err("the day does not exist in that month"));
    }
    if hour > 23 || minute > 59 || second > 59 {
        return Err(err("the time must be 00:00:00 to 23:59:59"));
    }
    let mut i = 19;
    let mut nanos = 0u32;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        let n = i - start;
        if n == 0 {
            return Err(err("a '.' must be followed by fraction digits"));
        }
        if n > 9 {
            return Err(err("at most 9 fractional digits are supported"));
        }
        let frac = digits(b, start, n).ok_or_else(|| err(SHAPE))?;
        nanos = frac * 10u32.pow(u32::try_from(9 - n).unwrap_or(0));
    }
    let offset_minutes: i32 = match b.get(i) {
        None => 0,
        Some(b'Z' | b'z') => {
            i += 1;
            0
        }
        Some(&sign @ (b'+' | b'-')) => {
            let hh = digits(b, i + 1, 2).ok_or_else(|| err("the offset must be ±hh:mm"))?;
            i += 3;
            if b.get(i) == Some(&b':') {
                i += 1;
            }
            let mm = digits(b, i, 2).ok_or_else(|| err("the offset must be ±hh:mm"))?;
            i += 2;
            if hh > 14 || mm > 59 || (hh == 14 && mm > 0) {
                return Err(err("the offset must be between -14:00 and +14:00"));
            }
            let total = i32::try_from(hh * 60 + mm).unwrap_or(0);
            if sign == b'-' { -total } else { total }
        }
        Some(_) => {
            return Err(err(
                "unexpected characters after the seconds; expected Z or ±hh:mm",
            ));
        }
    };
    if i != b.len() {
        return Err(err("unexpected trailing characters"));
    }
    Ok(Parts {
        year: u16::try_from(year).unwrap_or(1),
        month: u8::try_from(month).unwrap_or(1),
        day: u8::try_from(day).unwrap_or(1),
        hour: u8::try_from(hour).unwrap_or(0),
        minute: u8::try_from(minute).unwrap_or(0),
        second: u8::try_from(second).unwrap_or(0),
        nanos,
        offset_minutes: i16::try_from(offset_minutes).unwrap_or(0),
    })
}

fn format(p: &Parts) -> String {
    let mut s = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        p.year, p.month, p.day, p.hour, p.minute, p.second
    );
    if p.nanos != 0 {
        let frac = format!("{:09}", p.nanos);
        s.push('.');
        s.push_str(frac.trim_end_matches('0'));
    }
    if p.offset_minutes == 0 {
        s.push('Z');
    } else {
        let sign = if p.offset_minutes < 0 { '-' } else { '+' };
        let m = p.offset_minutes.unsigned_abs();
        s.push_str(&format!("{sign}{:02}:{:02}", m / 60, m % 60));
    }
    s
}

impl DateTimeOffset {
    /// Parses `s` (see the type docs); `""` gives the empty value.
    pub fn parse(s: &str) -> Result<Self, ValueError> {
        if s.is_empty() {
            return Ok(Self::empty());
        }
        let parts = parse(s)?;
        Ok(Self {
            repr: Repr::Value {
                parts,
                text: s.into(),
            },
        })
    }

    /// The value as read from the service: like [`parse`](Self::parse), but text that is not a
    /// date-time gives an invalid value keeping it (see the type docs) instead of an error. This is
    /// what deserializing does.
    pub fn from_wire(s: &str) -> Self {
        Self::parse(s).unwrap_or_else(|_| Self {
            repr: Repr::Invalid(s.into()),
        })
    }

    /// Deserializes strictly: a string that is not a date-time is an error naming the reason. For
    /// `#[serde(deserialize_with = "DateTimeOffset::deserialize_strict")]`.
    pub fn deserialize_strict<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Self, D::Error> {
        Self::deserialize(deserializer)?
            .check()
            .map_err(serde::de::Error::custom)
    }

    /// `false` for an invalid value: text read from the service that is not a date-time (see the
    /// type docs). The empty value is valid.
    pub fn is_valid(&self) -> bool {
        !matches!(self.repr, Repr::Invalid(_))
    }

    /// Why an invalid value is not a date-time; `None` for a valid (or empty) value.
    pub fn parse_error(&self) -> Option<ValueError> {
        match &self.repr {
            Repr::Invalid(text) => Some(
                parse(text)
                    .err()
                    .unwrap_or_else(|| ValueError::new(KIND, text, SHAPE)),
            ),
            _ => None,
        }
    }

    /// `Ok(self)` if valid, else the strict parse's error.
    fn check(self) -> Result<Self, ValueError> {
        match self.parse_error() {
            Some(error) => Err(error),
            None => Ok(self),
        }
    }

    /// The empty value (`""` on the wire).
    pub fn empty() -> Self {
        Self { repr: Repr::Empty }
    }

    /// `0001-01-01T00:00:00Z`, .NET's `DateTimeOffset.MinValue` ("never").
    pub fn min_value() -> Self {
        Self::from_parts_checked(Parts {
            year: 1,
            month: 1,
            day: 1,
            hour: 0,
            minute: 0,
            second: 0,
            nanos: 0,
            offset_minutes: 0,
        })
    }

    fn from_parts_checked(parts: Parts) -> Self {
        let text = format(&parts);
        Self {
            repr: Repr::Value {
                parts,
                text: text.into(),
            },
        }
    }

    /// A UTC date-time from its parts, validated (year 1–9999, a real day, 00:00:00–23:59:59).
    pub fn from_parts(
        year: u32,
        month: u32,
        day: u32,
        hour: u32,
        minute: u32,
        second: u32,
    ) -> Result<Self, ValueError> {
        let text = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z");
        if year > 9999 {
            return Err(ValueError::new(
                KIND,
                &text,
                "the year must be 0001 to 9999",
            ));
        }
        Self::parse(&text)
    }

    /// The same local date-time with fractional seconds `nanos` (below one second).
    pub fn with_nanosecond(self, nanos: u32) -> Result<Self, ValueError> {
        let (mut parts, text) = self.into_parts("the empty date-time has no time to set")?;
        if nanos >= 1_000_000_000 {
            return Err(ValueError::new(
                KIND,
                &text,
                "the fraction must be below one second",
            ));
        }
        parts.nanos = nanos;
        Ok(Self::from_parts_checked(parts))
    }

    /// The same local date-time at UTC offset `minutes` (-14:00 to +14:00).
    pub fn with_offset_minutes(self, minutes: i16) -> Result<Self, ValueError> {
        let (mut parts, text) = self.into_parts("the empty date-time has no offset to set")?;
        if minutes.unsigned_abs() > 14 * 60 {
            return Err(ValueError::new(
                KIND,
                &text,
                "the offset must be between -14:00 and +14:00",
            ));
        }
        parts.offset_minutes = minutes;
        Ok(Self::from_parts_checked(parts))
    }

    /// The UTC date-time `secs` seconds and `nanos` nanoseconds after the Unix epoch.
    pub fn from_unix_timestamp(secs: i64, nanos: u32) -> Result<Self, ValueError> {
        let input = format!("{secs}.{nanos:09}");
        if nanos >= 1_000_000_000 {
            return Err(ValueError::new(
                KIND,
                &input,
                "the fraction must be below one second",
            ));
        }
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        if !(1..=9999).contains(&year) {
            return Err(ValueError::new(
                KIND,
                &input,
                "the year must be 0001 to 9999",
            ));
        }
        let rem = u32::try_from(rem).unwrap_or(0);
        Ok(Self::from_parts_checked(Parts {
            year: u16::try_from(year).unwrap_or(1),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
            hour: u8::try_from(rem / 3600).unwrap_or(0),
            minute: u8::try_from(rem % 3600 / 60).unwrap_or(0),
            second: u8::try_from(rem % 60).unwrap_or(0),
            nanos,
            offset_minutes: 0,
        }))
    }

    /// The UTC date-time of `time`.
    pub fn from_system_time(time: SystemTime) -> Result<Self, ValueError> {
        let (secs, nanos) = match time.duration_since(UNIX_EPOCH) {
            Ok(d) => (
                i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                d.subsec_nanos(),
            ),
            Err(e) => {
                let d = e.duration();
                let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
                if d.subsec_nanos() == 0 {
                    (-secs, 0)
                } else {
                    (-secs - 1, 1_000_000_000 - d.subsec_nanos())
                }
            }
        };
        Self::from_unix_timestamp(secs, nanos)
    }

    fn parts(&self) -> Option<&Parts> {
        match &self.repr {
            Repr::Value { parts, .. } => Some(parts),
            Repr::Empty | Repr::Invalid(_) => None,
        }
    }

    /// The parts and text of a valid, non-empty value; `if_empty` is the reason given for the empty
    /// value, and an invalid value gives its parse error.
    fn into_parts(self, if_empty: &'static str) -> Result<(Parts, Box<str>), ValueError> {
        match self.check()?.repr {
            Repr::Value { parts, text } => Ok((parts, text)),
            _ => Err(ValueError::new(KIND, "", if_empty)),
        }
    }

    /// Whether this is the empty value `""`.
    pub fn is_empty(&self) -> bool {
        matches!(self.repr, Repr::Empty)
    }

    /// Whether this is `0001-01-01T00:00:00Z` (.NET's `MinValue`, used by the service for "never").
    pub fn is_min_value(&self) -> bool {
        self.parts().is_some_and(|p| {
            (
                p.year,
                p.month,
                p.day,
                p.hour,
                p.minute,
                p.second,
                p.nanos,
                p.offset_minutes,
            ) == (1, 1, 1, 0, 0, 0, 0, 0)
        })
    }

    /// The text as received (or as built), `""` for the empty value; for an invalid value, the text
    /// that is not a date-time.
    pub fn as_str(&self) -> &str {
        match &self.repr {
            Repr::Value { text, .. } => text,
            Repr::Invalid(text) => text,
            Repr::Empty => "",
        }
    }

    /// The year (0 for the empty or an invalid value; so are the other parts).
    pub fn year(&self) -> u32 {
        self.parts().map_or(0, |p| u32::from(p.year))
    }

    /// The month, 1–12 (0 for the empty value).
    pub fn month(&self) -> u32 {
        self.parts().map_or(0, |p| u32::from(p.month))
    }

    /// The day of the month, 1–31 (0 for the empty value).
    pub fn day(&self) -> u32 {
        self.parts().map_or(0, |p| u32::from(p.day))
    }

    /// The hour, 0–23.
    pub fn hour(&self) -> u32 {
        self.parts().map_or(0, |p| u32::from(p.hour))
    }

    /// The minute, 0–59.
    pub fn minute(&self) -> u32 {
        self.parts().map_or(0, |p| u32::from(p.minute))
    }

    /// The second, 0–59.
    pub fn second(&self) -> u32 {
        self.parts().map_or(0, |p| u32::from(p.second))
    }

    /// The fractional second in nanoseconds.
    pub fn nanosecond(&self) -> u32 {
        self.parts().map_or(0, |p| p.nanos)
    }

    /// The UTC offset in minutes (east positive).
    pub fn offset_minutes(&self) -> i16 {
        self.parts().map_or(0, |p| p.offset_minutes)
    }

    /// Seconds since the Unix epoch of this instant (`None` for the empty or an invalid value).
    pub fn unix_timestamp(&self) -> Option<i64> {
        let p = self.parts()?;
        let days = days_from_civil(i64::from(p.year), i64::from(p.month), i64::from(p.day));
        let local = days * 86_400
            + i64::from(p.hour) * 3600
            + i64::from(p.minute) * 60
            + i64::from(p.second);
        Some(local - i64::from(p.offset_minutes) * 60)
    }

    /// This instant as a [`SystemTime`] (`None` for the empty or an invalid value).
    pub fn to_system_time(&self) -> Option<SystemTime> {
        let secs = self.unix_timestamp()?;
        let nanos = StdDuration::from_nanos(u64::from(self.nanosecond()));
        if secs >= 0 {
            UNIX_EPOCH
                .checked_add(StdDuration::from_secs(secs.unsigned_abs()))?
                .checked_add(nanos)
        } else {
            UNIX_EPOCH
                .checked_sub(StdDuration::from_secs(secs.unsigned_abs()))?
                .checked_add(nanos)
        }
    }
}

impl Default for DateTimeOffset {
    /// The empty value.
    fn default() -> Self {
        Self::empty()
    }
}

impl fmt::Display for DateTimeOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for DateTimeOffset {
    /// `DateTimeOffset("2024-01-31T12:00:00Z")`, or `DateTimeOffset(invalid "...")`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let invalid = if self.is_valid() { "" } else { "invalid " };
        write!(f, "DateTimeOffset({invalid}{:?})", self.as_str())
    }
}

impl FromStr for DateTimeOffset {
    type Err = ValueError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for DateTimeOffset {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for DateTimeOffset {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = DateTimeOffset;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an ISO-8601 date-time string such as 2024-01-31T12:00:00Z")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DateTimeOffset, E> {
                Ok(DateTimeOffset::from_wire(v))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> DateTimeOffset {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn round_trips_exact_text() {
        for s in [
            "2019-11-20T16:15:21.116098Z",
            "2022-04-21T18:40:07.8465145Z",
            "2024-01-01T00:00:00Z",
            "2024-01-01T00:00:00.0Z",
            "2024-01-01T00:00:00.000000000Z",
            "2024-02-29T23:59:59+05:30",
            "2024-02-29T23:59:59-08:00",
            "2024-02-29T23:59:59+00:00",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59.9999999Z",
            "2020-01-16T20:35:13",
        ] {
            let v = p(s);
            assert_eq!(v.to_string(), s);
            assert_eq!(serde_json::to_string(&v).unwrap(), format!("\"{s}\""));
            assert_eq!(
                serde_json::from_str::<DateTimeOffset>(&format!("\"{s}\"")).unwrap(),
                v
            );
        }
    }

    #[test]
    fn parts_and_instants() {
        let v = p("2024-02-29T23:59:59.5+05:30");
        assert_eq!(
            (
                v.year(),
                v.month(),
                v.day(),
                v.hour(),
                v.minute(),
                v.second()
            ),
            (2024, 2, 29, 23, 59, 59)
        );
        assert_eq!(v.nanosecond(), 500_000_000);
        assert_eq!(v.offset_minutes(), 330);
        assert_eq!(p("1970-01-01T00:00:00Z").unix_timestamp(), Some(0));
        assert_eq!(p("1970-01-01T01:00:00+01:00").unix_timestamp(), Some(0));
        assert_eq!(
            p("2015-10-21T07:28:00Z").unix_timestamp(),
            Some(1_445_412_480)
        );
        assert_eq!(
            p("0001-01-01T00:00:00Z").unix_timestamp(),
            Some(-62_135_596_800)
        );
        let t = p("2015-10-21T07:28:00.25Z").to_system_time().unwrap();
        assert_eq!(
            DateTimeOffset::from_system_time(t).unwrap().to_string(),
            "2015-10-21T07:28:00.25Z"
        );
        let before = UNIX_EPOCH - StdDuration::from_millis(1500);
        assert_eq!(
            DateTimeOffset::from_system_time(before)
                .unwrap()
                .to_string(),
            "1969-12-31T23:59:58.5Z"
        );
        assert!(DateTimeOffset::empty().to_system_time().is_none());
    }

    #[test]
    fn quirks() {
        let min = p("0001-01-01T00:00:00Z");
        assert!(min.is_min_value());
        assert_eq!(min, DateTimeOffset::min_value());
        assert!(!p("0001-01-01T00:00:00.1Z").is_min_value());
        let empty = p("");
        assert!(empty.is_empty() && !empty.is_min_value());
        assert_eq!(serde_json::to_string(&empty).unwrap(), "\"\"");
        assert_eq!(DateTimeOffset::default(), empty);
        assert_eq!(format!("{empty:?}"), "DateTimeOffset(\"\")");
    }

    #[test]
    fn constructors() {
        let v = DateTimeOffset::from_parts(2024, 3, 1, 8, 5, 9).unwrap();
        assert_eq!(v.as_str(), "2024-03-01T08:05:09Z");
        let v = v
            .with_nanosecond(1_200)
            .unwrap()
            .with_offset_minutes(-90)
            .unwrap();
        assert_eq!(v.as_str(), "2024-03-01T08:05:09.0000012-01:30");
        assert!(DateTimeOffset::from_parts(2023, 2, 29, 0, 0, 0).is_err());
        assert!(DateTimeOffset::from_parts(10_000, 1, 1, 0, 0, 0).is_err());
        assert!(DateTimeOffset::from_parts(2023, 1, 1, 24, 0, 0).is_err());
        assert!(DateTimeOffset::empty().with_nanosecond(1).is_err());
        assert!(
            DateTimeOffset::min_value()
                .with_offset_minutes(15 * 60)
                .is_err()
        );
        assert!(DateTimeOffset::from_unix_timestamp(i64::MIN, 0).is_err());
        assert!(DateTimeOffset::from_unix_timestamp(i64::MAX, 0).is_err());
        assert!(DateTimeOffset::from_unix_timestamp(0, 1_000_000_000).is_err());
    }

    #[test]
    fn rejects_malformed_input_without_panicking() {
        for bad in [
            " ",
            "2024",
            "2024-01-01",
            "2024-13-01T00:00:00Z",
            "2024-00-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "0000-01-01T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T23:60:00Z",
            "2024-01-01T23:59:60Z",
            "2024-01-01T00:00:00.Z",
            "2024-01-01T00:00:00.1234567890Z",
            "2024-01-01T00:00:00+15:00",
            "2024-01-01T00:00:00+01",
            "2024-01-01T00:00:00ZZ",
            "2024-01-01T00:00:00 Z",
            "2024-01-01 00:00:00Z",
            "2024-01-01T00:00:00é",
            "é024-01-01T00:00:00Z",
            "+024-01-01T00:00:00Z",
            "2024-01-01T00:00:00+ab:cd",
        ] {
            let e = bad.parse::<DateTimeOffset>().unwrap_err();
            assert!(e.to_string().starts_with("invalid date-time"), "{bad}: {e}");
        }
        assert!(serde_json::from_str::<DateTimeOffset>("5").is_err());
        assert!(serde_json::from_str::<DateTimeOffset>("null").is_err());
    }

    #[test]
    fn malformed_text_is_kept_when_read_and_refused_when_strict() {
        for bad in [
            "2024-02-30T00:00:00Z",
            "yesterday",
            " ",
            "2024-01-01T00:00:00+15:00",
        ] {
            let json = serde_json::to_string(bad).unwrap();
            let v: DateTimeOffset = serde_json::from_str(&json).unwrap();
            assert!(!v.is_valid() && !v.is_empty(), "{bad}");
            assert_eq!(v.as_str(), bad);
            assert_eq!(serde_json::to_string(&v).unwrap(), json);
            let strict = DateTimeOffset::parse(bad).unwrap_err();
            assert_eq!(v.parse_error(), Some(strict.clone()));
            assert_eq!((v.year(), v.unix_timestamp()), (0, None));
            assert!(v.clone().with_nanosecond(1).is_err());
            assert_eq!(format!("{v:?}"), format!("DateTimeOffset(invalid {bad:?})"));
            let mut de = serde_json::Deserializer::from_str(&json);
            let err = DateTimeOffset::deserialize_strict(&mut de).unwrap_err();
            assert_eq!(err.to_string(), strict.to_string());
        }
        for good in ["", "2024-02-29T00:00:00Z"] {
            let v = DateTimeOffset::from_wire(good);
            assert!(v.is_valid() && v.parse_error().is_none());
            assert_eq!(v, DateTimeOffset::parse(good).unwrap());
            let json = serde_json::to_string(good).unwrap();
            let mut de = serde_json::Deserializer::from_str(&json);
            assert_eq!(DateTimeOffset::deserialize_strict(&mut de).unwrap(), v);
        }
        // Invalid text equals only the same text.
        assert_ne!(
            DateTimeOffset::from_wire("x"),
            DateTimeOffset::from_wire("y")
        );
        assert_ne!(DateTimeOffset::from_wire("x"), DateTimeOffset::empty());
    }
}
