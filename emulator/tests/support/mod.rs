//! Shared helpers of the emulator's HTTP tests: a seeded emulator and a plain reqwest client.

#![allow(dead_code)]

use msgraph_sync_emulator::{App, Emulator};
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

pub const SP: &str = "a1b2c3d4-0000-0000-0000-000000000000";
pub const APP_OBJECT: &str = "b1b2c3d4-0000-0000-0000-000000000000";
pub const APP_ID: &str = "c1b2c3d4-0000-0000-0000-000000000000";
pub const TOKEN: &str = "test-token";

/// The emulator and a client for it.
pub struct Env {
    pub emulator: Emulator,
    pub http: reqwest::Client,
}

/// An answer: status, headers, body as JSON (`Null` when empty).
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts a Graph error with this status and code; returns the error member.
    pub fn error(&self, status: u16, code: &str) -> &Value {
        assert_eq!(self.status, status, "{}", self.body);
        let error = &self.body["error"];
        assert_eq!(error["code"], code, "{}", self.body);
        assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert!(error["innerError"]["date"].is_string());
        assert_eq!(
            error["innerError"]["request-id"].as_str(),
            self.header("request-id")
        );
        assert_eq!(
            error["innerError"]["client-request-id"].as_str(),
            self.header("client-request-id")
        );
        error
    }
}

pub fn client() -> reqwest::Client {
    // The TLS provider msgraph-sync's features select (aws-lc-rs by default), for reqwest.
    msgraph_sync::install_crypto_provider();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// An emulator with one application (template `BoxOutDelta`) and working credentials.
pub async fn env() -> Env {
    env_with(
        App::new(SP)
            .application_id(APP_OBJECT)
            .app_id(APP_ID)
            .template("BoxOutDelta")
            .valid_credentials(),
    )
    .await
}

pub async fn env_with(app: App) -> Env {
    let emulator = Emulator::builder()
        .start_time("2026-01-01T00:00:00Z")
        .app(app)
        .start()
        .await
        .expect("starts");
    Env {
        emulator,
        http: client(),
    }
}

impl Env {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.emulator.base_url())
    }

    pub async fn send(&self, method: &str, path: &str, body: Option<Value>) -> Answer {
        let mut request = self
            .http
            .request(method.parse().unwrap(), self.url(path))
            .bearer_auth(TOKEN);
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        answer(request.send().await.expect("sent")).await
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send("GET", path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Answer {
        self.send("POST", path, Some(body)).await
    }

    /// Creates a job from `BoxOutDelta`; its id.
    pub async fn create_job(&self) -> String {
        let a = self
            .post(
                &format!("/v1.0/servicePrincipals/{SP}/synchronization/jobs"),
                json!({"templateId": "BoxOutDelta"}),
            )
            .await;
        assert_eq!(a.status, 201, "{}", a.body);
        a.body["id"].as_str().unwrap().to_owned()
    }

    pub fn job_path(&self, version: &str, job: &str) -> String {
        format!("/{version}/servicePrincipals/{SP}/synchronization/jobs/{job}")
    }
}

pub async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.expect("body");
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).expect("JSON body")
    };
    Answer {
        status,
        headers,
        body,
    }
}
