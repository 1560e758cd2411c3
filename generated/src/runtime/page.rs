//! Paged collections: one page, or a lazy stream of items following `@odata.nextLink`.

use std::collections::HashSet;
use std::sync::Arc;

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
use super::redact::{ResponseBody, display_url};
use super::request::{Decode, PageCaps, Request};
use super::transport::{self, Exchange, Limits, Response};

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
///
/// Written back (`Serialize`) with the OData control information first, as OData puts it: the
/// `@`-members of `additional_properties` in their order, `@odata.count`, `@odata.nextLink`, then
/// `value` and the other members.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
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

impl<T: Serialize> Serialize for Page<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        let control = |key: &String| key.starts_with('@');
        for (key, value) in self
            .additional_properties
            .iter()
            .filter(|(k, _)| control(k))
        {
            map.serialize_entry(key, value)?;
        }
        if let Some(count) = &self.count {
            map.serialize_entry("@odata.count", count)?;
        }
        if let Some(next) = &self.next_link {
            map.serialize_entry("@odata.nextLink", next)?;
        }
        map.serialize_entry("value", &self.value)?;
        for (key, value) in self
            .additional_properties
            .iter()
            .filter(|(k, _)| !control(k))
        {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
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
    Next(Follow<T>, Url),
    Failed(Error),
    Done,
}

/// What following `@odata.nextLink` needs: how to send and decode the next page, and what has
/// been read so far.
struct Follow<T> {
    client: Client,
    decode: Decode<Page<T>>,
    limits: Limits,
    caps: PageCaps,
    operation: &'static str,
    /// The first request's path template, for the spans of the pages that follow.
    template: Arc<str>,
    /// Every URL requested or answered so far, without its fragment.
    visited: HashSet<String>,
    pages: usize,
    items: usize,
}

/// `url` without its `#fragment`: links that differ only there name the same page.
fn page_key(url: &Url) -> String {
    let mut key = url.clone();
    key.set_fragment(None);
    key.into()
}

impl<T> Follow<T> {
    /// Takes in a page response and works out where the stream goes next.
    fn advance<Q>(mut self, response: Response) -> (Result<Page<T>, Error>, State<T, Q>) {
        let page = match response.decode(self.decode) {
            Ok(page) => page,
            Err(e) => return (Err(e), State::Done),
        };
        let items = self.items.saturating_add(page.value.len());
        if self.caps.max_items.is_some_and(|max| items > max) {
            let error = Error::PageLimit {
                pages: self.pages,
                items: self.items,
            };
            return (Err(error), State::Done);
        }
        self.pages += 1;
        self.items = items;
        self.visited.insert(page_key(&response.requested));
        self.visited.insert(page_key(&response.url));
        let link = page.next_link.as_deref().map(str::trim);
        let next = match link.filter(|l| !l.is_empty()) {
            None => State::Done,
            Some(link) => match response.url.join(link) {
                Err(e) => State::Failed(Error::Decode {
                    status: response.status,
                    error: DecodeError::new("@odata.nextLink", format!("not a valid URL: {e}")),
                    body: ResponseBody::default(),
                    request_id: response.request_id.clone(),
                }),
                Ok(url) if self.visited.contains(&page_key(&url)) => {
                    State::Failed(Error::PageCycle {
                        url: display_url(&url),
                        pages: self.pages,
                    })
                }
                Ok(_) if self.caps.max_pages.is_some_and(|max| self.pages >= max) => {
                    State::Failed(Error::PageLimit {
                        pages: self.pages,
                        items: self.items,
                    })
                }
                Ok(url) => State::Next(self, url),
            },
        };
        (Ok(page), next)
    }
}

impl<T: DeserializeOwned + Send + 'static, Q> Request<Page<T>, Q> {
    /// A lazy stream of pages: the first request is sent when the stream is first polled, and each
    /// `@odata.nextLink` is fetched (same token, same headers, same timeouts) only when the stream
    /// is polled past the previous page.
    ///
    /// The stream ends after an error. A nextLink is refused, with nothing sent, when it points to
    /// another scheme, host or port than the configured base ([`Error::ForeignHost`]; so an
    /// `http` link under an `https` base is refused), carries `user:pass@`
    /// ([`Error::CredentialsInUrl`]), or leads back to a page already read, compared without
    /// `#fragment` ([`Error::PageCycle`]). [`max_pages`](Request::max_pages) and
    /// [`max_items`](Request::max_items) bound how much is read.
    pub fn pages(self) -> impl Stream<Item = Result<Page<T>, Error>> + Send {
        futures_util::stream::unfold(State::First(self), |state| async move {
            match state {
                State::Done => None,
                State::Failed(e) => Some((Err(e), State::Done)),
                State::First(request) => {
                    let operation = request.operation_id();
                    match request.send_raw().await {
                        Ok((client, response, decode, limits, caps, template)) => {
                            let follow = Follow {
                                client,
                                decode,
                                limits,
                                caps,
                                operation,
                                template,
                                visited: HashSet::new(),
                                pages: 0,
                                items: 0,
                            };
                            Some(follow.advance(response))
                        }
                        Err(e) => Some((Err(e), State::Done)),
                    }
                }
                State::Next(follow, url) => {
                    let exchange = Exchange {
                        operation: follow.operation,
                        success: &[200],
                        method: Method::Get,
                        url,
                        template: follow.template.clone(),
                        body: None,
                        limits: follow.limits,
                        idempotent: true,
                        context: "nextLink",
                    };
                    match transport::execute(&follow.client, exchange).await {
                        Ok(response) => Some(follow.advance(response)),
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

    /// Fetches every page and returns all items, or the first error. Bound what a large or
    /// hostile collection can cost with [`max_pages`](Request::max_pages) /
    /// [`max_items`](Request::max_items).
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
