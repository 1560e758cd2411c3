//! Paged collections: one page, or a lazy stream of items following `@odata.nextLink`.

use std::time::Duration;

use futures_core::Stream;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::Url;

use super::client::Client;
use super::decode::DecodeError;
use super::error::Error;
use super::operation::Method;
use super::request::{Decode, Request};
use super::transport::{self, Exchange, Response};

/// One page of a collection: `{"value": [...], "@odata.nextLink": "...", "@odata.count": n}`.
///
/// ```
/// # use msgraph_sync::Page;
/// let page: Page<String> = serde_json::from_str(
///     r#"{"@odata.context": "ctx", "value": ["a", "b"], "@odata.nextLink": "https://graph.microsoft.com/v1.0/x?$skiptoken=1"}"#,
/// ).unwrap();
/// assert_eq!(page.value, ["a", "b"]);
/// assert!(page.next_link.is_some());
/// assert_eq!(page.additional_properties["@odata.context"], "ctx");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound(serialize = "T: Serialize", deserialize = "T: Deserialize<'de>"))]
pub struct Page<T> {
    /// The items of this page.
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    /// `@odata.nextLink`: the URL of the next page, if there is one.
    #[serde(
        rename = "@odata.nextLink",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub next_link: Option<String>,
    /// `@odata.count`: the total count, when `$count=true` was asked.
    #[serde(
        rename = "@odata.count",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub count: Option<i64>,
    /// Any other members (`@odata.context`, ...), kept as received.
    #[serde(flatten)]
    pub additional_properties: Map<String, Value>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Self {
            value: Vec::new(),
            next_link: None,
            count: None,
            additional_properties: Map::new(),
        }
    }
}

/// Where the page stream is.
enum State<T, Q> {
    First(Request<Page<T>, Q>),
    Next(NextPage<T>),
    Failed(Error),
    Done,
}

struct NextPage<T> {
    client: Client,
    url: Url,
    decode: Decode<Page<T>>,
    timeout: Duration,
    operation: &'static str,
}

/// Decodes a page and works out where the stream goes next.
fn advance<T, Q>(
    client: Client,
    response: Response,
    decode: Decode<Page<T>>,
    timeout: Duration,
    operation: &'static str,
) -> (Result<Page<T>, Error>, State<T, Q>) {
    let page = match response.decode(decode) {
        Ok(page) => page,
        Err(e) => return (Err(e), State::Done),
    };
    let next = match page
        .next_link
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        None => State::Done,
        Some(link) => {
            let bad_link = |message: String| Error::Decode {
                status: response.status,
                error: DecodeError::new("@odata.nextLink", message),
                body_snippet: String::new(),
                request_id: response.request_id.clone(),
            };
            match response.url.join(link) {
                // A link back to the page just read would loop forever.
                Ok(url) if url == response.url => State::Failed(bad_link(
                    "the next link points back at the same page".to_owned(),
                )),
                Ok(url) => State::Next(NextPage {
                    client,
                    url,
                    decode,
                    timeout,
                    operation,
                }),
                Err(e) => State::Failed(bad_link(format!("not a valid URL: {e}"))),
            }
        }
    };
    (Ok(page), next)
}

impl<T: DeserializeOwned + Send + 'static, Q> Request<Page<T>, Q> {
    /// A lazy stream of pages: the first request is sent when the stream is first polled, and each
    /// `@odata.nextLink` is fetched (same token, same headers) only when the stream is polled past
    /// the previous page. A nextLink to another scheme, host or port than the configured base is
    /// an [`Error::ForeignHost`] and nothing is sent there. The stream ends after an error.
    pub fn pages(self) -> impl Stream<Item = Result<Page<T>, Error>> + Send {
        futures_util::stream::unfold(State::First(self), |state| async move {
            match state {
                State::Done => None,
                State::Failed(e) => Some((Err(e), State::Done)),
                State::First(request) => {
                    let operation = request.operation_id();
                    match request.send_raw().await {
                        Ok((client, response, decode, timeout)) => {
                            Some(advance(client, response, decode, timeout, operation))
                        }
                        Err(e) => Some((Err(e), State::Done)),
                    }
                }
                State::Next(next) => {
                    let exchange = Exchange {
                        operation: next.operation,
                        success: &[200],
                        method: Method::Get,
                        url: next.url,
                        body: None,
                        timeout: next.timeout,
                        context: "nextLink",
                    };
                    match transport::execute(&next.client, exchange).await {
                        Ok(response) => Some(advance(
                            next.client,
                            response,
                            next.decode,
                            next.timeout,
                            next.operation,
                        )),
                        Err(e) => Some((Err(e), State::Done)),
                    }
                }
            }
        })
    }

    /// A lazy stream of the items of every page (see [`pages`](Request::pages)).
    ///
    /// ```no_run
    /// # async fn demo(request: msgraph_sync::Request<msgraph_sync::Page<serde_json::Value>>) -> Result<(), msgraph_sync::Error> {
    /// use futures_util::StreamExt;
    /// let mut items = std::pin::pin!(request.items());
    /// while let Some(item) = items.next().await {
    ///     println!("{}", item?);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn items(self) -> impl Stream<Item = Result<T, Error>> + Send {
        self.pages().flat_map(|page| {
            let items: Vec<Result<T, Error>> = match page {
                Ok(page) => page.value.into_iter().map(Ok).collect(),
                Err(e) => vec![Err(e)],
            };
            futures_util::stream::iter(items)
        })
    }

    /// Fetches every page and returns all items, or the first error.
    pub async fn collect_all(self) -> Result<Vec<T>, Error> {
        let mut all = Vec::new();
        let mut pages = std::pin::pin!(self.pages());
        while let Some(page) = pages.next().await {
            all.extend(page?.value);
        }
        Ok(all)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::decode::decode_json;

    #[derive(Debug, Deserialize, Serialize, PartialEq, Clone)]
    struct Job {
        id: String,
    }

    #[test]
    fn page_round_trips() {
        let text = r#"{"@odata.context":"c","value":[{"id":"a"}],"@odata.nextLink":"n","@odata.count":3,"x":1}"#;
        let page: Page<Job> = decode_json(text.as_bytes()).unwrap();
        assert_eq!(page.count, Some(3));
        assert_eq!(page.next_link.as_deref(), Some("n"));
        let back = serde_json::to_value(&page).unwrap();
        assert_eq!(back, serde_json::from_str::<Value>(text).unwrap());
        let empty: Page<Job> = decode_json(b"{}").unwrap();
        assert_eq!(empty, Page::default());
    }

    #[test]
    fn decode_path_inside_a_page() {
        let err = decode_json::<Page<Job>>(br#"{"value":[{"id":"a"},{"id":1}]}"#).unwrap_err();
        assert_eq!(err.path(), "value[1].id");
    }
}
