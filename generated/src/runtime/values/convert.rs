//! Conversions between [`DateTimeOffset`] / [`Duration`] and the `time`, `jiff` and `chrono`
//! types, each behind the cargo feature of that name (all off by default).
//!
//! The wire types stay this crate's own: no date-time crate keeps `""`, the number of fraction
//! digits, `Z` versus `+00:00`, or `P10675199DT2H48M5.4775807S` as received. The conversions go
//! through the parts (local date, time and UTC offset), so the offset survives where the other
//! type has one:
//!
//! | this crate | `time` | `jiff` | `chrono` |
//! |---|---|---|---|
//! | [`DateTimeOffset`] | `OffsetDateTime` | `ZonedDateTime` (fixed offset), `Timestamp` (UTC) | `DateTime<FixedOffset>`, `DateTime<Utc>` |
//! | [`Duration`] | `time::Duration` | `SignedDuration` | `TimeDelta` |
//!
//! Towards the other crate: `TryFrom<&DateTimeOffset>` fails with a [`ValueError`] for the empty
//! value, an invalid value, or one outside the other type's range; `TryFrom<&Duration>` fails for
//! an invalid value. Back: `TryFrom<..> for DateTimeOffset` fails outside years 1–9999, for an
//! offset that is not whole minutes or beyond ±14:00, or a leap second; durations are truncated
//! towards zero to 100 ns (like [`Duration::from_std`]) and fail beyond `TimeSpan`'s range.

use super::{DateTimeOffset, Duration, ValueError};

/// `(year, month, day, hour, minute, second, nanosecond, offset seconds)` of a valid date-time.
type Parts = (i32, u32, u32, u32, u32, u32, u32, i32);

/// The parts of `value`, or why it is not a date-time another crate can hold.
fn parts(value: &DateTimeOffset) -> Result<Parts, ValueError> {
    if value.is_empty() {
        return Err(ValueError::new(
            "date-time",
            "",
            "the empty date-time is not a point in time",
        ));
    }
    if let Some(error) = value.parse_error() {
        return Err(error);
    }
    Ok((
        i32::try_from(value.year()).unwrap_or(1),
        value.month(),
        value.day(),
        value.hour(),
        value.minute(),
        value.second(),
        value.nanosecond(),
        i32::from(value.offset_minutes()) * 60,
    ))
}

/// A date-time from local parts and a UTC offset in seconds, checked by this crate's rules.
#[allow(clippy::too_many_arguments)]
fn from_parts(
    year: i32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nanos: u32,
    offset_seconds: i32,
) -> Result<DateTimeOffset, ValueError> {
    let year = u32::try_from(year).map_err(|_| {
        ValueError::new(
            "date-time",
            &year.to_string(),
            "the year must be 0001 to 9999",
        )
    })?;
    let minutes = i16::try_from(offset_seconds / 60)
        .ok()
        .filter(|_| offset_seconds % 60 == 0)
        .ok_or_else(|| {
            ValueError::new(
                "date-time",
                &format!("offset {offset_seconds} s"),
                "the UTC offset must be whole minutes",
            )
        })?;
    DateTimeOffset::from_parts(year, month, day, hour, minute, second)?
        .with_nanosecond(nanos)?
        .with_offset_minutes(minutes)
}

/// A duration error for `shown`.
fn duration_error(shown: &str, reason: &'static str) -> ValueError {
    ValueError::new("duration", shown, reason)
}

/// The ticks of a valid duration.
fn ticks(value: &Duration) -> Result<i64, ValueError> {
    match value.parse_error() {
        Some(error) => Err(error),
        None => Ok(value.ticks()),
    }
}

/// Whole seconds and the nanoseconds beyond them (same sign) of `ticks`.
fn seconds_and_nanos(ticks: i64) -> (i64, i32) {
    let nanos = i32::try_from(ticks % 10_000_000 * 100).unwrap_or(0);
    (ticks / 10_000_000, nanos)
}

/// Ticks of `secs` seconds and `nanos` nanoseconds (same sign), truncated towards zero.
fn ticks_of(secs: i64, nanos: i32, shown: &dyn std::fmt::Debug) -> Result<Duration, ValueError> {
    secs.checked_mul(10_000_000)
        .and_then(|t| t.checked_add(i64::from(nanos / 100)))
        .map(Duration::from_ticks)
        .ok_or_else(|| {
            duration_error(
                &format!("{shown:?}"),
                "the duration does not fit in a .NET TimeSpan",
            )
        })
}

#[cfg(feature = "time")]
mod time_impls {
    use super::*;

    impl TryFrom<&DateTimeOffset> for time::OffsetDateTime {
        type Error = ValueError;

        fn try_from(value: &DateTimeOffset) -> Result<Self, ValueError> {
            let (y, mo, d, h, mi, s, n, off) = parts(value)?;
            let out_of_range = |_| ValueError::new("date-time", value.as_str(), "out of range");
            let month =
                time::Month::try_from(u8::try_from(mo).unwrap_or(0)).map_err(out_of_range)?;
            let date = time::Date::from_calendar_date(y, month, u8::try_from(d).unwrap_or(0))
                .map_err(out_of_range)?;
            let small = |v: u32| u8::try_from(v).unwrap_or(u8::MAX);
            let local = date
                .with_hms_nano(small(h), small(mi), small(s), n)
                .map_err(out_of_range)?;
            let offset = time::UtcOffset::from_whole_seconds(off).map_err(out_of_range)?;
            Ok(local.assume_offset(offset))
        }
    }

    impl TryFrom<time::OffsetDateTime> for DateTimeOffset {
        type Error = ValueError;

        fn try_from(t: time::OffsetDateTime) -> Result<Self, ValueError> {
            from_parts(
                t.year(),
                u32::from(u8::from(t.month())),
                u32::from(t.day()),
                u32::from(t.hour()),
                u32::from(t.minute()),
                u32::from(t.second()),
                t.nanosecond(),
                t.offset().whole_seconds(),
            )
        }
    }

    impl TryFrom<&Duration> for time::Duration {
        type Error = ValueError;

        fn try_from(value: &Duration) -> Result<Self, ValueError> {
            let (secs, nanos) = seconds_and_nanos(ticks(value)?);
            Ok(time::Duration::new(secs, nanos))
        }
    }

    impl TryFrom<time::Duration> for Duration {
        type Error = ValueError;

        fn try_from(d: time::Duration) -> Result<Self, ValueError> {
            ticks_of(d.whole_seconds(), d.subsec_nanoseconds(), &d)
        }
    }
}

#[cfg(feature = "jiff")]
mod jiff_impls {
    use super::*;

    fn jiff_error(value: &DateTimeOffset) -> impl Fn(jiff::Error) -> ValueError + '_ {
        move |e| ValueError::new("date-time", value.as_str(), e.to_string())
    }

    impl TryFrom<&DateTimeOffset> for jiff::ZonedDateTime {
        type Error = ValueError;

        fn try_from(value: &DateTimeOffset) -> Result<Self, ValueError> {
            let (y, mo, d, h, mi, s, n, off) = parts(value)?;
            let small = |v: u32| i8::try_from(v).unwrap_or(i8::MAX);
            let local = jiff::civil::DateTime::new(
                i16::try_from(y).unwrap_or(i16::MAX),
                small(mo),
                small(d),
                small(h),
                small(mi),
                small(s),
                i32::try_from(n).unwrap_or(i32::MAX),
            )
            .map_err(jiff_error(value))?;
            let offset = jiff::tz::Offset::from_seconds(off).map_err(jiff_error(value))?;
            local
                .to_zoned_datetime(jiff::tz::TimeZone::fixed(offset))
                .map_err(jiff_error(value))
        }
    }

    impl TryFrom<&DateTimeOffset> for jiff::Timestamp {
        type Error = ValueError;

        fn try_from(value: &DateTimeOffset) -> Result<Self, ValueError> {
            jiff::ZonedDateTime::try_from(value).map(|z| z.timestamp())
        }
    }

    impl TryFrom<&jiff::ZonedDateTime> for DateTimeOffset {
        type Error = ValueError;

        fn try_from(z: &jiff::ZonedDateTime) -> Result<Self, ValueError> {
            let part = |v: i8| u32::try_from(v).unwrap_or(0);
            from_parts(
                i32::from(z.year()),
                part(z.month()),
                part(z.day()),
                part(z.hour()),
                part(z.minute()),
                part(z.second()),
                u32::try_from(z.subsec_nanosecond()).unwrap_or(0),
                z.offset().seconds(),
            )
        }
    }

    impl TryFrom<jiff::Timestamp> for DateTimeOffset {
        type Error = ValueError;

        /// The UTC date-time (`Z`) of the instant.
        fn try_from(t: jiff::Timestamp) -> Result<Self, ValueError> {
            let nanos = t.as_nanosecond();
            let secs = i64::try_from(nanos.div_euclid(1_000_000_000)).unwrap_or(i64::MAX);
            let subsec = u32::try_from(nanos.rem_euclid(1_000_000_000)).unwrap_or(0);
            DateTimeOffset::from_unix_timestamp(secs, subsec)
        }
    }

    impl TryFrom<&Duration> for jiff::SignedDuration {
        type Error = ValueError;

        fn try_from(value: &Duration) -> Result<Self, ValueError> {
            let (secs, nanos) = seconds_and_nanos(ticks(value)?);
            Ok(jiff::SignedDuration::new(secs, nanos))
        }
    }

    impl TryFrom<jiff::SignedDuration> for Duration {
        type Error = ValueError;

        fn try_from(d: jiff::SignedDuration) -> Result<Self, ValueError> {
            ticks_of(d.as_secs(), d.subsec_nanos(), &d)
        }
    }
}

#[cfg(feature = "chrono")]
mod chrono_impls {
    use chrono::{Datelike as _, Offset as _, Timelike as _};

    use super::*;

    impl TryFrom<&DateTimeOffset> for chrono::DateTime<chrono::FixedOffset> {
        type Error = ValueError;

        fn try_from(value: &DateTimeOffset) -> Result<Self, ValueError> {
            let (y, mo, d, h, mi, s, n, off) = parts(value)?;
            let out_of_range = || ValueError::new("date-time", value.as_str(), "out of range");
            let offset = chrono::FixedOffset::east_opt(off).ok_or_else(out_of_range)?;
            chrono::NaiveDate::from_ymd_opt(y, mo, d)
                .and_then(|date| date.and_hms_nano_opt(h, mi, s, n))
                .and_then(|local| local.and_local_timezone(offset).single())
                .ok_or_else(out_of_range)
        }
    }

    impl TryFrom<&DateTimeOffset> for chrono::DateTime<chrono::Utc> {
        type Error = ValueError;

        fn try_from(value: &DateTimeOffset) -> Result<Self, ValueError> {
            chrono::DateTime::<chrono::FixedOffset>::try_from(value).map(|t| t.to_utc())
        }
    }

    impl<Tz: chrono::TimeZone> TryFrom<&chrono::DateTime<Tz>> for DateTimeOffset {
        type Error = ValueError;

        fn try_from(t: &chrono::DateTime<Tz>) -> Result<Self, ValueError> {
            let offset = t.offset().fix().local_minus_utc();
            let local = t.naive_local();
            from_parts(
                local.year(),
                local.month(),
                local.day(),
                local.hour(),
                local.minute(),
                local.second(),
                local.nanosecond(),
                offset,
            )
        }
    }

    impl TryFrom<&Duration> for chrono::TimeDelta {
        type Error = ValueError;

        fn try_from(value: &Duration) -> Result<Self, ValueError> {
            let (secs, nanos) = seconds_and_nanos(ticks(value)?);
            let delta = chrono::TimeDelta::try_seconds(secs)
                .and_then(|s| s.checked_add(&chrono::TimeDelta::nanoseconds(i64::from(nanos))));
            delta.ok_or_else(|| duration_error(value.as_str(), "out of range"))
        }
    }

    impl TryFrom<chrono::TimeDelta> for Duration {
        type Error = ValueError;

        fn try_from(d: chrono::TimeDelta) -> Result<Self, ValueError> {
            ticks_of(d.num_seconds(), d.subsec_nanos(), &d)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dto(s: &str) -> DateTimeOffset {
        s.parse().unwrap()
    }

    #[cfg(feature = "time")]
    #[test]
    fn time_keeps_the_offset_and_the_ticks() {
        let t = time::OffsetDateTime::try_from(&dto("2022-04-21T18:40:07.8465145+05:30")).unwrap();
        assert_eq!(t.offset().whole_minutes(), 330);
        assert_eq!((t.hour(), t.nanosecond()), (18, 846_514_500));
        assert_eq!(
            t.unix_timestamp(),
            dto("2022-04-21T13:10:07Z").unix_timestamp().unwrap()
        );
        let back = DateTimeOffset::try_from(t).unwrap();
        assert_eq!(back.as_str(), "2022-04-21T18:40:07.8465145+05:30");
        assert!(time::OffsetDateTime::try_from(&DateTimeOffset::empty()).is_err());
        assert!(
            time::OffsetDateTime::try_from(&DateTimeOffset::from_wire("2024-02-30T00:00:00Z"))
                .is_err()
        );
        let min = time::OffsetDateTime::try_from(&DateTimeOffset::min_value()).unwrap();
        assert_eq!(min.year(), 1);
        // Outside what the wire type holds.
        let far = time::Date::from_calendar_date(-5, time::Month::March, 1)
            .unwrap()
            .midnight()
            .assume_utc();
        assert!(DateTimeOffset::try_from(far).is_err());
        let odd = time::OffsetDateTime::UNIX_EPOCH
            .to_offset(time::UtcOffset::from_whole_seconds(30).unwrap());
        assert!(
            DateTimeOffset::try_from(odd).is_err(),
            "offset not in whole minutes"
        );

        let d: Duration = "-PT1M12.6316819S".parse().unwrap();
        let t = time::Duration::try_from(&d).unwrap();
        assert_eq!(t.whole_nanoseconds(), -72_631_681_900);
        assert_eq!(Duration::try_from(t).unwrap(), d);
        let max = time::Duration::try_from(&Duration::max_value()).unwrap();
        assert_eq!(
            Duration::try_from(max).unwrap().as_str(),
            "P10675199DT2H48M5.4775807S"
        );
        assert!(Duration::try_from(max + time::Duration::SECOND).is_err());
        assert_eq!(
            Duration::try_from(time::Duration::nanoseconds(199))
                .unwrap()
                .ticks(),
            1
        );
        let invalid: Duration = serde_json::from_str(r#""P1Y""#).unwrap();
        assert!(time::Duration::try_from(&invalid).is_err());
    }

    #[cfg(feature = "jiff")]
    #[test]
    fn jiff_keeps_the_offset_and_the_ticks() {
        let z = jiff::ZonedDateTime::try_from(&dto("2022-04-21T18:40:07.8465145-08:00")).unwrap();
        assert_eq!(z.offset().seconds(), -8 * 3600);
        assert_eq!((z.hour(), z.subsec_nanosecond()), (18, 846_514_500));
        assert_eq!(
            DateTimeOffset::try_from(&z).unwrap().as_str(),
            "2022-04-21T18:40:07.8465145-08:00"
        );
        let ts = jiff::Timestamp::try_from(&dto("1969-12-31T23:59:59.5Z")).unwrap();
        assert_eq!(ts.as_nanosecond(), -500_000_000);
        assert_eq!(
            DateTimeOffset::try_from(ts).unwrap().as_str(),
            "1969-12-31T23:59:59.5Z"
        );
        assert!(jiff::Timestamp::try_from(&DateTimeOffset::empty()).is_err());

        let d: Duration = "P10675199DT2H48M5.4775807S".parse().unwrap();
        let s = jiff::SignedDuration::try_from(&d).unwrap();
        assert_eq!(Duration::try_from(s).unwrap(), d);
        assert!(Duration::try_from(jiff::SignedDuration::MAX).is_err());
        let neg =
            jiff::SignedDuration::try_from(&"-PT0.0000001S".parse::<Duration>().unwrap()).unwrap();
        assert_eq!(neg.as_nanos(), -100);
    }

    #[cfg(feature = "chrono")]
    #[test]
    fn chrono_keeps_the_offset_and_the_ticks() {
        use chrono::Timelike as _;
        let t = chrono::DateTime::<chrono::FixedOffset>::try_from(&dto(
            "2022-04-21T18:40:07.8465145+14:00",
        ))
        .unwrap();
        assert_eq!(t.offset().local_minus_utc(), 14 * 3600);
        assert_eq!(t.nanosecond(), 846_514_500);
        assert_eq!(
            DateTimeOffset::try_from(&t).unwrap().as_str(),
            "2022-04-21T18:40:07.8465145+14:00"
        );
        let utc =
            chrono::DateTime::<chrono::Utc>::try_from(&dto("2022-04-21T18:40:07+02:00")).unwrap();
        assert_eq!(utc.hour(), 16);
        assert_eq!(
            DateTimeOffset::try_from(&utc).unwrap().as_str(),
            "2022-04-21T16:40:07Z"
        );
        assert!(chrono::DateTime::<chrono::Utc>::try_from(&DateTimeOffset::empty()).is_err());
        // A leap second has no place in a DateTimeOffset.
        let leap = chrono::NaiveDate::from_ymd_opt(2016, 12, 31)
            .and_then(|d| d.and_hms_nano_opt(23, 59, 59, 1_500_000_000))
            .unwrap()
            .and_utc();
        assert!(DateTimeOffset::try_from(&leap).is_err());

        let d: Duration = "-P1DT2H".parse().unwrap();
        let delta = chrono::TimeDelta::try_from(&d).unwrap();
        assert_eq!(delta.num_hours(), -26);
        assert_eq!(Duration::try_from(delta).unwrap(), d);
        let max = chrono::TimeDelta::try_from(&Duration::max_value()).unwrap();
        assert_eq!(Duration::try_from(max).unwrap(), Duration::max_value());
        assert!(Duration::try_from(chrono::TimeDelta::MAX).is_err());
    }
}
