//! Fault injection over real HTTP, from the handle and from the admin endpoint.

mod support;

use std::time::{Duration, Instant};

use msgraph_sync_emulator::Fault;
use serde_json::json;
use support::*;

fn jobs() -> String {
    format!("/v1.0/servicePrincipals/{SP}/synchronization/jobs")
}

#[tokio::test]
async fn status_faults_carry_retry_after_as_seconds_or_a_date_and_count_down() {
    let env = env().await;
    env.emulator
        .inject(
            Fault::on("*/jobs")
                .method("GET")
                .status(429)
                .retry_after_seconds(3)
                .times(1),
        )
        .unwrap();
    env.emulator
        .inject(
            Fault::on("*/jobs")
                .status(503)
                .retry_after_date(120)
                .times(1),
        )
        .unwrap();
    env.emulator
        .inject(Fault::on("*/jobs").status(504).times(1))
        .unwrap();
    let a = env.get(&jobs()).await;
    a.error(429, "TooManyRequests");
    assert_eq!(a.header("retry-after"), Some("3"));
    let a = env.get(&jobs()).await;
    a.error(503, "ServiceUnavailable");
    let date = httpdate_parse(a.header("retry-after").unwrap());
    let wait = date
        .duration_since(std::time::SystemTime::now())
        .unwrap_or_default();
    assert!(
        wait > Duration::from_secs(100) && wait <= Duration::from_secs(121),
        "{wait:?}"
    );
    let a = env.get(&jobs()).await;
    a.error(504, "GatewayTimeout");
    assert_eq!(a.header("retry-after"), None);
    assert_eq!(env.get(&jobs()).await.status, 200, "every rule is used up");
    // A rule with a method leaves other methods alone.
    env.emulator
        .inject(Fault::on("*").method("POST").status(503))
        .unwrap();
    assert_eq!(env.get(&jobs()).await.status, 200);
    env.emulator.clear_faults();
}

fn httpdate_parse(text: &str) -> std::time::SystemTime {
    // `Sun, 06 Nov 1994 08:49:37 GMT`
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let parts: Vec<&str> = text.split([' ', ':']).collect();
    let (day, month, year): (i64, i64, i64) = (
        parts[1].parse().unwrap(),
        months.iter().position(|m| *m == parts[2]).unwrap() as i64 + 1,
        parts[3].parse().unwrap(),
    );
    let (h, m, s): (i64, i64, i64) = (
        parts[4].parse().unwrap(),
        parts[5].parse().unwrap(),
        parts[6].parse().unwrap(),
    );
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    std::time::UNIX_EPOCH + Duration::from_secs((days * 86_400 + h * 3600 + m * 60 + s) as u64)
}

#[tokio::test]
async fn a_delay_holds_the_answer() {
    let env = env().await;
    env.emulator
        .inject(Fault::on("*").delay(Duration::from_millis(300)).times(1))
        .unwrap();
    let t = Instant::now();
    assert_eq!(env.get(&jobs()).await.status, 200);
    assert!(t.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn a_dropped_connection_is_an_error_for_the_client_and_the_server_goes_on() {
    let env = env().await;
    env.emulator
        .inject(Fault::on("*").drop_connection().times(1))
        .unwrap();
    let result = env
        .http
        .get(env.url(&jobs()))
        .bearer_auth(TOKEN)
        .send()
        .await;
    assert!(result.is_err(), "{result:?}");
    assert_eq!(env.get(&jobs()).await.status, 200);
    assert_eq!(
        env.emulator.requests().len(),
        2,
        "both requests are in the log"
    );
}

#[tokio::test]
async fn a_truncated_body_fails_to_read() {
    let env = env().await;
    env.create_job().await;
    env.emulator
        .inject(Fault::on("*").method("GET").truncate_body().times(1))
        .unwrap();
    let response = env
        .http
        .get(env.url(&jobs()))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let promised: usize = response.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(promised > 100);
    assert!(response.bytes().await.is_err());
    assert_eq!(env.get(&jobs()).await.status, 200);
}

#[tokio::test]
async fn a_slow_body_arrives_whole_but_late() {
    let env = env().await;
    env.create_job().await;
    env.emulator
        .inject(Fault::on("*").slow_body(Duration::from_millis(40)).times(1))
        .unwrap();
    let t = Instant::now();
    let a = env.get(&jobs()).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body["value"].as_array().unwrap().len(), 1);
    assert!(
        t.elapsed() >= Duration::from_millis(8 * 40),
        "{:?}",
        t.elapsed()
    );
}

#[tokio::test]
async fn a_redirect_points_where_it_was_told() {
    let env = env().await;
    env.emulator
        .inject(
            Fault::on("*/jobs")
                .redirect(&format!(
                    "/beta/servicePrincipals/{SP}/synchronization/jobs"
                ))
                .times(1),
        )
        .unwrap();
    let a = env.get(&jobs()).await;
    assert_eq!(a.status, 307);
    assert_eq!(
        a.header("location"),
        Some(
            env.url(&format!(
                "/beta/servicePrincipals/{SP}/synchronization/jobs"
            ))
            .as_str()
        )
    );
    assert!(a.header("request-id").is_some());
}

#[tokio::test]
async fn faults_come_and_go_through_the_admin_endpoint() {
    let env = env().await;
    let admin = env.url("/_emulator/faults");
    let add = env
        .http
        .post(&admin)
        .body(json!({"path": "*/jobs", "status": 429, "retryAfterSeconds": 1}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(add.status(), 204);
    assert_eq!(env.get(&jobs()).await.status, 429);
    assert_eq!(
        env.get(&jobs()).await.status,
        429,
        "no times: every request"
    );
    let listed: serde_json::Value = env
        .http
        .get(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["value"][0]["status"], 429);
    assert_eq!(env.http.delete(&admin).send().await.unwrap().status(), 204);
    assert_eq!(env.get(&jobs()).await.status, 200);
    for bad in [
        json!({"path": "*", "status": 200}),
        json!({"path": "*", "bogus": true}),
        json!({"status": 429}),
        json!([1]),
    ] {
        let r = env
            .http
            .post(&admin)
            .body(bad.to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{bad}");
    }
    assert!(
        env.emulator
            .inject(Fault::on("*").redirect_status(200))
            .is_err()
    );
}
