//! A typed, not-yet-sent request: await it to send it.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use url::Url;

use super::client::Client;
use super::decode::DecodeError;
use super::encode::encode_component;
use super::error::Error;
use super::operation::Operation;
use super::page::Page;
use super::path::PathBuilder;
use super::redact;
use super::transport::{self, Body, Exchange, Limits, Response};
use super::version::ApiVersion;

/// A decode function of generated code.
pub(crate) type Decode<T> = fn(&[u8]) -> Result<T, DecodeError>;

/// A request checked and ready for the transport.
type Prepared<T> = (Client, Exchange, Decode<T>, PageCaps);

/// A sent request's response, with what paging needs to follow it (the last is the path template).
pub(crate) type Sent<T> = (Client, Response, Decode<T>, Limits, PageCaps, Arc<str>);

/// The caps on paging set with [`Request::max_pages`] and [`Request::max_items`].
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct PageCaps {
    pub(crate) max_pages: Option<usize>,
    pub(crate) max_items: Option<usize>,
}

/// Query-option marker: the request takes no OData query options.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct NoQuery;

/// Query-option marker: a collection read, taking `$top`, `$filter`, `$select`, `$skiptoken` and
/// `$count`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct CollectionQuery;

/// Query-option marker: a single-entity read, taking `$select`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct EntityQuery;

/// A request ready to send: `.await` it (it implements [`IntoFuture`]) to get the decoded response.
///
/// Nothing is sent before it is awaited; invalid identifiers, body serialization failures and
/// operations missing from the chosen API version are reported then, before any I/O.
pub struct Request<T, Q = NoQuery> {
    client: Client,
    version: ApiVersion,
    operation: &'static Operation,
    path: PathBuilder,
    query: Vec<(&'static str, String)>,
    body: Option<Body>,
    deferred: Option<Error>,
    timeout: Option<Duration>,
    total_timeout: Option<Duration>,
    idempotent: Option<bool>,
    caps: PageCaps,
    decode: fn(&[u8]) -> Result<T, DecodeError>,
    _query: PhantomData<fn() -> Q>,
}

impl<T, Q> Request<T, Q> {
    /// Creates a request (used by generated code).
    #[doc(hidden)]
    pub fn new(
        api_client: &Client,
        version: ApiVersion,
        operation: &'static Operation,
        path: PathBuilder,
        decode: fn(&[u8]) -> Result<T, DecodeError>,
    ) -> Self {
        Self {
            client: api_client.clone(),
            version,
            operation,
            path,
            query: Vec::new(),
            body: None,
            deferred: None,
            timeout: None,
            total_timeout: None,
            idempotent: None,
            caps: PageCaps::default(),
            decode,
            _query: PhantomData,
        }
    }

    /// Serializes `body` as the request body now (a failure is reported when the request is
    /// awaited). The content type is the operation's (default `application/json`).
    #[doc(hidden)]
    pub fn body_json<B: serde::Serialize + ?Sized>(mut self, body: &B) -> Self {
        // The secret values serialized into the body are kept (never shown) to scrub them from
        // any error text the service sends back.
        match redact::collecting_secrets(|| serde_json::to_vec(body)) {
            (Ok(bytes), secrets) => {
                self.body = Some(Body {
                    bytes: Bytes::from(bytes),
                    content_type: self.operation.content_type.unwrap_or("application/json"),
                    secrets,
                });
            }
            (Err(e), _) => {
                if self.deferred.is_none() {
                    self.deferred = Some(Error::Serialize(e));
                }
            }
        }
        self
    }

    /// Overrides the client's per-request timeout for this request. It bounds each attempt:
    /// getting the token, connecting, redirects and reading the body.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Overrides the client's [total timeout](crate::ClientBuilder::total_timeout) for this call:
    /// all attempts and retry waits together. A retry whose wait would not fit is not made (the
    /// last error is returned); an attempt cut short by it ends in [`Error::TotalTimeout`].
    /// For [`pages`](Request::pages) it applies to each page.
    pub fn total_timeout(mut self, total: Duration) -> Self {
        self.total_timeout = Some(total);
        self
    }

    /// Overrides whether this request is safe to send again after a 503/504 or a failure before
    /// any response byte (default: the operation's, from the spec: GET, PUT and DELETE are; POST
    /// and PATCH are not unless the spec says so). 429 is retried either way. Pass `true` only
    /// when repeating the request cannot do harm twice (a create that the service deduplicates,
    /// an action you know to be idempotent).
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = Some(idempotent);
        self
    }

    /// The operation id (the spec's `operationId`).
    pub fn operation_id(&self) -> &'static str {
        self.operation.id
    }

    /// The relative path (after the API version), as it will be sent.
    pub fn path(&self) -> &str {
        self.path.as_str()
    }

    fn set_query(&mut self, key: &'static str, value: String) {
        match self.query.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.query.push((key, value)),
        }
    }

    fn select_fields<I, S>(mut self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let joined = fields
            .into_iter()
            .filter(|f| !f.as_ref().is_empty())
            .map(|f| encode_component(f.as_ref()))
            .collect::<Vec<_>>()
            .join(",");
        if joined.is_empty() {
            self.query.retain(|(k, _)| *k != "$select");
        } else {
            self.set_query("$select", joined);
        }
        self
    }

    /// Checks everything that can be checked before sending and builds the exchange.
    fn prepare(self) -> Result<Prepared<T>, Error> {
        let template = format!("/{}{}", self.version, self.path.template());
        let path = self.path.finish()?;
        if let Some(e) = self.deferred {
            return Err(e);
        }
        if !self.operation.supports(self.version) {
            return Err(Error::UnsupportedVersion {
                operation: self.operation.id,
                version: self.version,
            });
        }
        let mut url = format!("{}/{}{}", self.client.inner.base, self.version, path);
        for (i, (key, value)) in self.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(key);
            url.push('=');
            url.push_str(value);
        }
        let url = Url::parse(&url)
            .map_err(|e| Error::config(format!("could not build the request URL: {e}")))?;
        let inner = &self.client.inner;
        let limits = Limits {
            timeout: self.timeout.unwrap_or(inner.timeout),
            total_timeout: self.total_timeout.or(inner.total_timeout),
        };
        if limits.timeout.is_zero() || limits.total_timeout.is_some_and(|t| t.is_zero()) {
            return Err(Error::config("the timeout must be greater than zero"));
        }
        let exchange = Exchange {
            operation: self.operation.id,
            success: self.operation.success,
            method: self.operation.method,
            url,
            template: template.into(),
            body: self.body,
            limits,
            idempotent: self.idempotent.unwrap_or(self.operation.idempotent),
            context: "request",
        };
        Ok((self.client, exchange, self.decode, self.caps))
    }

    /// Sends the request and returns the response with what paging needs to follow it.
    pub(crate) async fn send_raw(self) -> Result<Sent<T>, Error> {
        let (client, exchange, decode, caps) = self.prepare()?;
        let limits = exchange.limits;
        let template = exchange.template.clone();
        let response = transport::execute(&client, exchange).await?;
        Ok((client, response, decode, limits, caps, template))
    }

    /// Sends the request and decodes the response (the same as awaiting it).
    pub async fn send(self) -> Result<T, Error> {
        let (client, exchange, decode, _) = self.prepare()?;
        let response = transport::execute(&client, exchange).await?;
        response.decode(decode)
    }
}

impl<T> Request<T, CollectionQuery> {
    /// `$top`: the page size.
    pub fn top(mut self, n: u32) -> Self {
        self.set_query("$top", n.to_string());
        self
    }

    /// `$filter`: an OData filter expression (sent percent-encoded).
    pub fn filter(mut self, filter: impl Into<String>) -> Self {
        self.set_query("$filter", encode_component(&filter.into()));
        self
    }

    /// `$select`: the properties to return.
    pub fn select<I, S>(self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.select_fields(fields)
    }

    /// `$skiptoken`: resume from a page token (pass the decoded value).
    pub fn skip_token(mut self, token: impl Into<String>) -> Self {
        self.set_query("$skiptoken", encode_component(&token.into()));
        self
    }

    /// `$count`: ask for the total count (`@odata.count`).
    pub fn count(mut self, yes: bool) -> Self {
        self.set_query("$count", yes.to_string());
        self
    }
}

impl<T, Q> Request<Page<T>, Q> {
    /// Caps how many pages [`pages`](Request::pages), [`items`](Request::items) and
    /// [`collect_all`](Request::collect_all) read: when the collection has more, they end with
    /// [`Error::PageLimit`] instead of paging on (default: no cap; a link back to a page already
    /// read always ends paging with [`Error::PageCycle`]).
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.caps.max_pages = Some(pages);
        self
    }

    /// Caps how many items [`pages`](Request::pages), [`items`](Request::items) and
    /// [`collect_all`](Request::collect_all) read: a page that takes the total past `items` ends
    /// them with [`Error::PageLimit`] (that page's items are not returned). Default: no cap.
    pub fn max_items(mut self, items: usize) -> Self {
        self.caps.max_items = Some(items);
        self
    }
}

impl<T> Request<T, EntityQuery> {
    /// `$select`: the properties to return.
    pub fn select<I, S>(self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.select_fields(fields)
    }
}

impl<T: Send + 'static, Q> IntoFuture for Request<T, Q> {
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T, Error>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        // Prepare first so the future does not capture `Q`.
        let prepared = self.prepare();
        Box::pin(async move {
            let (client, exchange, decode, _) = prepared?;
            let response = transport::execute(&client, exchange).await?;
            response.decode(decode)
        })
    }
}

impl<T, Q> fmt::Debug for Request<T, Q> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The body is left out: it may carry synchronization secrets.
        f.debug_struct("Request")
            .field("operation", &self.operation.id)
            .field("method", &self.operation.method)
            .field("version", &self.version)
            .field("path", &self.path.as_str())
            .field("query", &self.query)
            .field("body_bytes", &self.body.as_ref().map(|b| b.bytes.len()))
            .field("timeout", &self.timeout)
            .field("total_timeout", &self.total_timeout)
            .field("idempotent", &self.idempotent)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::decode::{decode_empty, decode_json};
    use crate::runtime::operation::Method;

    static LIST: Operation = Operation {
        id: "test.list",
        method: Method::Get,
        success: &[200],
        content_type: None,
        versions: &[ApiVersion::V1, ApiVersion::Beta],
        idempotent: true,
    };
    static PING: Operation = Operation {
        id: "test.ping",
        method: Method::Get,
        success: &[200],
        content_type: None,
        versions: &[ApiVersion::Beta],
        idempotent: true,
    };

    fn client() -> Client {
        Client::builder()
            .static_token("t")
            .base_url("http://127.0.0.1:9")
            .build()
            .unwrap()
    }

    #[test]
    fn query_options_are_encoded_and_replaced() {
        let c = client();
        let req: Request<serde_json::Value, CollectionQuery> = Request::new(
            &c,
            ApiVersion::V1,
            &LIST,
            PathBuilder::new().segment("jobs"),
            decode_json,
        );
        let req = req
            .top(5)
            .top(10)
            .filter("startswith(id,'a b')")
            .select(["id", "status"])
            .skip_token("x&y")
            .count(true);
        let (_, ex, _, _) = req.prepare().unwrap();
        assert_eq!(
            ex.url.as_str(),
            "http://127.0.0.1:9/v1.0/jobs?$top=10&$filter=startswith%28id%2C%27a%20b%27%29&$select=id,status&$skiptoken=x%26y&$count=true"
        );
    }

    #[test]
    fn version_check_happens_before_sending() {
        let c = client();
        let req: Request<(), NoQuery> =
            Request::new(&c, ApiVersion::V1, &PING, PathBuilder::new(), decode_empty);
        match req.prepare() {
            Err(Error::UnsupportedVersion { operation, version }) => {
                assert_eq!(operation, "test.ping");
                assert_eq!(version, ApiVersion::V1);
            }
            other => panic!("{:?}", other.err()),
        }
        let req: Request<(), NoQuery> = Request::new(
            &c,
            ApiVersion::Beta,
            &PING,
            PathBuilder::new(),
            decode_empty,
        );
        assert!(req.prepare().is_ok());
    }

    #[test]
    fn serialization_errors_are_deferred() {
        struct Bad;
        impl serde::Serialize for Bad {
            fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom("nope"))
            }
        }
        let c = client();
        let req: Request<(), NoQuery> =
            Request::new(&c, ApiVersion::V1, &LIST, PathBuilder::new(), decode_empty)
                .body_json(&Bad);
        assert!(matches!(req.prepare(), Err(Error::Serialize(_))));
    }

    #[test]
    fn request_is_send_and_debug_hides_the_body() {
        fn assert_send<T: Send>(_: &T) {}
        let c = client();
        let req: Request<std::rc::Rc<()>, NoQuery> =
            Request::new(&c, ApiVersion::V1, &LIST, PathBuilder::new(), |_| {
                Ok(std::rc::Rc::new(()))
            });
        assert_send(&req);
        let req: Request<(), NoQuery> =
            Request::new(&c, ApiVersion::V1, &LIST, PathBuilder::new(), decode_empty)
                .body_json(&serde_json::json!({"value": "hunter2"}));
        assert!(!format!("{req:?}").contains("hunter2"));
    }
}
