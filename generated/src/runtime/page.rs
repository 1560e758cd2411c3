//! Paged collections: one page, or a lazy stream of items following `@odata.nextLink`.

use std::collections::HashSet;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use futures_core::Stream;
use futures_util::StreamExt;
use serde::de::{self, DeserializeOwned, MapAccess};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use url::Url;

use super::client::Client;
use super::decode::DecodeError;
use super::error::Error;
use super::operation::Method;
use super::redact::{ResponseBody, display_url};
use super::request::{Decode, PageCaps, Request};
use super::transport::{self, Exchange, Limits, Response};
use super::unknown::__private::{
    Key, annotations, first_read, members, property_of, read_null, read_unknown,
};
use super::unknown::{UnknownProperties, write_field};

/// One page of a collection: `{"value": [...], "@odata.nextLink": "...", "@odata.count": n}`.
///
/// ```
/// # use msgraph_sync::Page;
/// let page: Page<String> = serde_json::from_str(
///     r#"{"@odata.context": "ctx", "value": ["a", "b"], "@odata.nextLink": "https://graph.microsoft.com/v1.0/x?$skiptoken=1"}"#,
/// ).unwrap();
/// assert_eq!(page.value, ["a", "b"]);
/// assert!(page.next_link.is_some());
/// assert_eq!(page.additional_properties.get("@odata.context").unwrap().get(), r#""ctx""#);
/// ```
///
/// Members other than `value`, `@odata.nextLink` and `@odata.count` are kept in
/// [`additional_properties`](Page::additional_properties) as the exact JSON text read (numbers of
/// any size, such as `1e400`, included). An `@odata.count` that is not an `i64` (`1e400`, a
/// 30-digit integer, `2.5`, `null`) leaves [`count`](Page::count) `None` and is kept there under
/// its name; so is an explicit `"@odata.nextLink": null`. A key read twice is a decode error.
///
/// Written back (`Serialize`) with the OData control information first: the `@`-members of
/// `additional_properties` in the order read, `@odata.count`, `@odata.nextLink`, then `value` and
/// the other members in the order read; no key is written twice (a field that has a value wins
/// over a member of the same name in `additional_properties`). `value` is always written.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// The items of this page (empty when the member is absent).
    pub value: Vec<T>,
    /// `@odata.nextLink`: the URL of the next page, if there is one.
    pub next_link: Option<String>,
    /// `@odata.count`: the total count, when `$count=true` was asked.
    pub count: Option<i64>,
    /// Any other members (`@odata.context`, ...), each kept as the exact JSON text read.
    pub additional_properties: UnknownProperties,
}

const VALUE: &str = "value";
const NEXT_LINK: &str = "@odata.nextLink";
const COUNT: &str = "@odata.count";

/// Whether `key` is written at a field's place: a field's name, or an annotation of `value`.
fn is_field(key: &str) -> bool {
    matches!(key, VALUE | NEXT_LINK | COUNT) || property_of(key) == VALUE
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Page<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> de::Visitor<'de> for Visitor<T> {
            type Value = Page<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object (a page of a collection)")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Page<T>, A::Error> {
                let mut page = Page::default();
                let rest = &mut page.additional_properties;
                let mut seen = [false; 3];
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    match key.as_str() {
                        VALUE => {
                            first_read(&mut seen[0], VALUE)?;
                            page.value = map.next_value()?;
                        }
                        NEXT_LINK => {
                            first_read(&mut seen[1], NEXT_LINK)?;
                            page.next_link = map.next_value()?;
                            if page.next_link.is_none() {
                                read_null(rest, NEXT_LINK);
                            }
                        }
                        COUNT => {
                            first_read(&mut seen[2], COUNT)?;
                            let raw: Box<RawValue> = map.next_value()?;
                            match serde_json::from_str::<i64>(raw.get()) {
                                Ok(count) => page.count = Some(count),
                                Err(_) => {
                                    rest.insert_raw(COUNT, raw);
                                }
                            }
                        }
                        _ => {
                            let raw: Box<RawValue> = map.next_value()?;
                            read_unknown(rest, key, raw)?;
                        }
                    }
                }
                Ok(page)
            }
        }

        deserializer.deserialize_map(Visitor(PhantomData))
    }
}

impl<T: Serialize> Serialize for Page<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let rest = &self.additional_properties;
        let mut map = serializer.serialize_map(None)?;
        for (key, raw) in members(rest, true, is_field) {
            map.serialize_entry(key, raw)?;
        }
        write_field(&mut map, rest, COUNT, self.count.as_ref())?;
        write_field(&mut map, rest, NEXT_LINK, self.next_link.as_ref())?;
        for (key, raw) in annotations(rest, VALUE) {
            map.serialize_entry(key, raw)?;
        }
        map.serialize_entry(VALUE, &self.value)?;
        for (key, raw) in members(rest, false, is_field) {
            map.serialize_entry(key, raw)?;
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
            additional_properties: UnknownProperties::new(),
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
        assert_eq!(
            serde_json::to_string(&page).unwrap(),
            r#"{"@odata.context":"c","@odata.count":3,"@odata.nextLink":"n","value":[{"id":"a"}],"x":1}"#
        );
        let empty: Page<Job> = decode_json(b"{}").unwrap();
        assert_eq!(empty, Page::default());
        assert_eq!(serde_json::to_string(&empty).unwrap(), r#"{"value":[]}"#);
    }

    #[test]
    fn odd_counts_and_null_links_are_kept_as_read() {
        for count in [
            "1e400",
            "123456789012345678901234567890",
            "2.5",
            "null",
            r#""3""#,
        ] {
            let text = format!(r#"{{"@odata.count":{count},"@odata.nextLink":null,"value":[]}}"#);
            let page: Page<Job> = decode_json(text.as_bytes()).unwrap();
            assert_eq!(page.count, None, "{count}");
            assert_eq!(page.next_link, None);
            assert_eq!(page.additional_properties.get(COUNT).unwrap().get(), count);
            assert_eq!(serde_json::to_string(&page).unwrap(), text);
        }
    }

    #[test]
    fn no_key_is_written_twice_and_control_information_comes_first() {
        let mut page: Page<Job> = decode_json(
            br#"{"value":[],"z":1e400,"value@odata.type":"t","@odata.count":"x","@a":-0.0}"#,
        )
        .unwrap();
        page.count = Some(1);
        page.additional_properties.insert("value", &[1]).unwrap();
        page.additional_properties
            .insert(NEXT_LINK, &"stale")
            .unwrap();
        page.next_link = Some("n".into());
        assert_eq!(
            serde_json::to_string(&page).unwrap(),
            r#"{"@a":-0.0,"@odata.count":1,"@odata.nextLink":"n","value@odata.type":"t","value":[],"z":1e400}"#
        );
    }

    #[test]
    fn a_key_read_twice_is_an_error() {
        for text in [
            r#"{"value":[],"value":[]}"#,
            r#"{"@odata.count":1,"@odata.count":1}"#,
            r#"{"@odata.nextLink":"a","@odata.nextLink":"b"}"#,
            r#"{"x":1,"x":1}"#,
        ] {
            assert!(decode_json::<Page<Job>>(text.as_bytes()).is_err(), "{text}");
        }
        let err = decode_json::<Page<Job>>(br#"{"@odata.nextLink":1}"#).unwrap_err();
        assert_eq!(err.path(), "@odata.nextLink");
    }

    #[test]
    fn decode_path_inside_a_page() {
        let err = decode_json::<Page<Job>>(br#"{"value":[{"id":"a"},{"id":1}]}"#).unwrap_err();
        assert_eq!(err.path(), "value[1].id");
    }
}
