//! Fault injection: rules that make matching requests fail the way a client must survive.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// A fault injected into the requests that match it (by path pattern and, optionally, method).
///
/// Built in code with the methods below, or sent as JSON to `POST /_emulator/faults` with the
/// same names in camelCase (`{"path": "*/start", "status": 429, "retryAfterSeconds": 2, "times": 1}`).
///
/// `path` matches the request's path (from `/v1.0` or `/beta` on, without the query); `*` matches
/// any run of characters, so `*/jobs/*/start` matches every start. A rule applies to `times`
/// requests (every request when `None`), then it is removed.
///
/// ```
/// use msgraph_sync_emulator::Fault;
/// let throttled = Fault::on("*/jobs/*/start").status(429).retry_after_seconds(2).times(1);
/// let slow = Fault::on("*").delay(std::time::Duration::from_millis(50));
/// # let _ = (throttled, slow);
/// ```
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Fault {
    path: String,
    method: Option<String>,
    times: Option<u32>,
    status: Option<u16>,
    retry_after_seconds: Option<u64>,
    retry_after_date_seconds: Option<u64>,
    delay_ms: Option<u64>,
    drop_connection: bool,
    truncate_body: bool,
    slow_body_ms: Option<u64>,
    redirect_to: Option<String>,
    redirect_status: Option<u16>,
}

impl Fault {
    /// A fault for requests whose path matches `pattern` (`*` matches any characters).
    pub fn on(pattern: &str) -> Self {
        Self {
            path: pattern.to_owned(),
            ..Default::default()
        }
    }

    /// Only requests with this method (`GET`, `POST`, ...).
    pub fn method(mut self, method: &str) -> Self {
        self.method = Some(method.to_ascii_uppercase());
        self
    }

    /// Apply to this many matching requests, then remove the rule.
    pub fn times(mut self, times: u32) -> Self {
        self.times = Some(times);
        self
    }

    /// Answer with this status (429, 503, 504, ...) and a Graph error body instead of serving.
    pub fn status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Add `Retry-After: <seconds>` to the status answer.
    pub fn retry_after_seconds(mut self, seconds: u64) -> Self {
        self.retry_after_seconds = Some(seconds);
        self
    }

    /// Add `Retry-After` as an HTTP date this many seconds after the answer is made.
    pub fn retry_after_date(mut self, seconds_from_now: u64) -> Self {
        self.retry_after_date_seconds = Some(seconds_from_now);
        self
    }

    /// Wait this long (real time) before answering.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay_ms = Some(u64::try_from(delay.as_millis()).unwrap_or(u64::MAX));
        self
    }

    /// Close the connection without answering.
    pub fn drop_connection(mut self) -> Self {
        self.drop_connection = true;
        self
    }

    /// Serve normally but send only half of the body (the `Content-Length` promises all of it),
    /// then close the connection.
    pub fn truncate_body(mut self) -> Self {
        self.truncate_body = true;
        self
    }

    /// Serve normally but send the body in eight pieces with this pause (real time) before each.
    pub fn slow_body(mut self, pause: Duration) -> Self {
        self.slow_body_ms = Some(u64::try_from(pause.as_millis()).unwrap_or(u64::MAX));
        self
    }

    /// Answer with a redirect (307 unless [`Fault::redirect_status`]) to `location`; a location
    /// starting with `/` is taken relative to the emulator's base URL.
    pub fn redirect(mut self, location: &str) -> Self {
        self.redirect_to = Some(location.to_owned());
        self
    }

    /// The status of a redirect (301, 302, 303, 307, 308).
    pub fn redirect_status(mut self, status: u16) -> Self {
        self.redirect_status = Some(status);
        self
    }

    /// Checks the rule for values that cannot be served.
    pub(crate) fn check(&self) -> Result<(), String> {
        if let Some(status) = self.status.filter(|s| !(400..=599).contains(s)) {
            return Err(format!("status {status} is not an error status (400-599)"));
        }
        if let Some(status) = self.redirect_status {
            if ![301, 302, 303, 307, 308].contains(&status) {
                return Err(format!("redirectStatus {status} is not a redirect status"));
            }
            if self.redirect_to.is_none() {
                return Err("redirectStatus needs redirectTo".to_owned());
            }
        }
        if self.path.is_empty() {
            return Err("path is empty (use \"*\" for every request)".to_owned());
        }
        if self.delay_ms.unwrap_or(0) > 600_000 || self.slow_body_ms.unwrap_or(0) > 60_000 {
            return Err("delays are limited to 10 minutes and body pauses to 1 minute".to_owned());
        }
        if self.times == Some(0) {
            return Err("times must be at least 1".to_owned());
        }
        Ok(())
    }

    pub(crate) fn matches(&self, method: &str, path: &str) -> bool {
        self.method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && glob(&self.path, path)
    }
}

/// What a matched fault does to one request.
#[derive(Clone, Debug, Default)]
pub(crate) struct Effect {
    pub delay: Option<Duration>,
    pub drop_connection: bool,
    pub status: Option<(u16, Option<RetryAfter>)>,
    pub redirect: Option<(u16, String)>,
    pub truncate_body: bool,
    pub slow_body: Option<Duration>,
}

/// A `Retry-After` value.
#[derive(Clone, Debug)]
pub(crate) enum RetryAfter {
    Seconds(u64),
    DateIn(u64),
}

/// Takes the effect of the first rule matching the request, counting it down.
pub(crate) fn take(rules: &mut Vec<Fault>, method: &str, path: &str) -> Option<Effect> {
    let index = rules.iter().position(|r| r.matches(method, path))?;
    let rule = rules[index].clone();
    match rules[index].times {
        Some(1) => {
            rules.remove(index);
        }
        Some(n) => rules[index].times = Some(n - 1),
        None => {}
    }
    let retry_after = rule
        .retry_after_seconds
        .map(RetryAfter::Seconds)
        .or(rule.retry_after_date_seconds.map(RetryAfter::DateIn));
    Some(Effect {
        delay: rule.delay_ms.map(Duration::from_millis),
        drop_connection: rule.drop_connection,
        status: rule.status.map(|s| (s, retry_after)),
        redirect: rule
            .redirect_to
            .map(|to| (rule.redirect_status.unwrap_or(307), to)),
        truncate_body: rule.truncate_body,
        slow_body: rule.slow_body_ms.map(Duration::from_millis),
    })
}

/// `*` matches any run of characters; everything else matches itself.
fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob("*", "/v1.0/x"));
        assert!(glob(
            "*/jobs/*/start",
            "/v1.0/servicePrincipals/a/synchronization/jobs/j/start"
        ));
        assert!(!glob(
            "*/jobs/*/start",
            "/v1.0/servicePrincipals/a/synchronization/jobs/j/pause"
        ));
        assert!(glob("/beta/*", "/beta/x"));
        assert!(!glob("a*a", "a"));
        assert!(glob("/v1.0/x", "/v1.0/x"));
    }

    #[test]
    fn rules_count_down() {
        let mut rules = vec![Fault::on("*").status(503).times(2)];
        assert!(take(&mut rules, "GET", "/x").is_some());
        assert!(take(&mut rules, "GET", "/x").is_some());
        assert!(take(&mut rules, "GET", "/x").is_none());
        assert!(Fault::on("*").status(200).check().is_err());
        assert!(Fault::on("").check().is_err());
    }
}
