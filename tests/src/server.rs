//! A small loopback HTTP/1.1 server for tests: scripted replies, one per request in order, and a
//! record of every request (method, target, headers, body).
//!
//! Keep-alive is supported; bodies are read by `Content-Length` (or chunked), replies always carry
//! `Content-Length`. A redirect to another listener is just a scripted reply with a `Location`.
//!
//! Hostile replies for robustness tests: [`Reply::raw`] bytes (garbage status lines, truncated
//! bodies), [`Reply::reset`] (a TCP reset instead of an answer), [`Reply::then_reset`],
//! [`Reply::drip`] (a slow body) and [`Reply::filler`] (a large body generated as it is written).

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// One request as the server received it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The method, e.g. `GET`.
    pub method: String,
    /// The request target: path and query, as sent.
    pub target: String,
    /// The headers in order, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every header named `name` (case-insensitive).
    pub fn header_all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The path, without the query.
    pub fn path(&self) -> &str {
        self.target
            .split_once('?')
            .map_or(self.target.as_str(), |(p, _)| p)
    }

    /// The query, without `?`.
    pub fn query(&self) -> Option<&str> {
        self.target.split_once('?').map(|(_, q)| q)
    }

    /// The body parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("request body is JSON")
    }
}

/// A scripted reply.
#[derive(Clone, Debug)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    hang: bool,
    close: bool,
    raw: Option<Vec<u8>>,
    reset: bool,
    drip: Option<(usize, Duration)>,
    filler: Option<u64>,
}

impl Reply {
    /// A reply with `status`, no headers and no body.
    pub fn status(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            hang: false,
            close: false,
            raw: None,
            reset: false,
            drip: None,
            filler: None,
        }
    }

    /// Exactly `bytes` on the wire instead of a generated response (a garbage status line, a body
    /// shorter than its `Content-Length`, ...), then the connection is closed.
    pub fn raw(bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            raw: Some(bytes.into()),
            close: true,
            ..Self::status(200)
        }
    }

    /// No answer: the connection is reset (TCP RST) once the request has been read.
    pub fn reset() -> Self {
        Self::raw(Vec::new()).then_reset()
    }

    /// Resets the connection (TCP RST) after writing this reply (or the part of it written).
    pub fn then_reset(mut self) -> Self {
        self.reset = true;
        self.close = true;
        self
    }

    /// Writes the body `chunk` bytes at a time, pausing `every` between chunks (a slow body).
    pub fn drip(mut self, chunk: usize, every: Duration) -> Self {
        self.drip = Some((chunk.max(1), every));
        self
    }

    /// A body of `len` spaces, generated while it is written (so a huge body costs the test no
    /// memory). The server stops writing when the client stops reading.
    pub fn filler(status: u16, len: u64) -> Self {
        Self {
            filler: Some(len),
            ..Self::status(status)
        }
    }

    /// A JSON reply.
    pub fn json(status: u16, value: &serde_json::Value) -> Self {
        Self::status(status)
            .header("Content-Type", "application/json")
            .body(serde_json::to_vec(value).expect("serializable"))
    }

    /// A redirect to `location` (absolute, or relative to this server).
    pub fn redirect(status: u16, location: &str) -> Self {
        Self::status(status).header("Location", location)
    }

    /// A reply that never comes: the connection is held open (for timeout tests).
    pub fn hang() -> Self {
        Self {
            hang: true,
            ..Self::status(200)
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// Gzip-encodes the body (stored deflate blocks) and sets `Content-Encoding: gzip`.
    pub fn gzip(mut self) -> Self {
        self.body = gzip_stored(&self.body);
        self.header("Content-Encoding", "gzip")
    }

    /// Closes the connection after this reply.
    pub fn close(mut self) -> Self {
        self.close = true;
        self
    }
}

#[derive(Debug, Default)]
struct State {
    script: VecDeque<Reply>,
    fallback: Option<Reply>,
    requests: Vec<RecordedRequest>,
    tasks: Vec<tokio::task::AbortHandle>,
    written: Arc<AtomicU64>,
}

/// A loopback HTTP/1.1 server on `127.0.0.1` with a random port. Dropping it stops it.
#[derive(Debug)]
pub struct TestServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    accept: JoinHandle<()>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

impl TestServer {
    /// Starts a server on `127.0.0.1:0`.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let state = Arc::new(Mutex::new(State::default()));
        let accept_state = Arc::clone(&state);
        let accept = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let conn_state = Arc::clone(&accept_state);
                let task = tokio::spawn(serve(stream, conn_state));
                lock(&accept_state).tasks.push(task.abort_handle());
            }
        });
        Self {
            addr,
            state,
            accept,
        }
    }

    /// The base URL, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Queues `reply` for the next unanswered request.
    pub fn reply(&self, reply: Reply) -> &Self {
        lock(&self.state).script.push_back(reply);
        self
    }

    /// The reply used once the script is exhausted (default: 500 with a "no scripted reply" body).
    pub fn fallback(&self, reply: Reply) -> &Self {
        lock(&self.state).fallback = Some(reply);
        self
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state).requests.clone()
    }

    /// How many requests were received so far.
    pub fn request_count(&self) -> usize {
        lock(&self.state).requests.len()
    }

    /// How many response bytes (head and body) the server has written so far, on all
    /// connections.
    pub fn bytes_written(&self) -> u64 {
        lock(&self.state).written.load(Ordering::Relaxed)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.accept.abort();
        for task in lock(&self.state).tasks.drain(..) {
            task.abort();
        }
    }
}

/// Serves one connection until it closes.
async fn serve(stream: TcpStream, state: Arc<Mutex<State>>) {
    let written = Arc::clone(&lock(&state).written);
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    while let Some(request) = read_request(&mut reader).await {
        let close_requested = request
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        let reply = {
            let mut st = lock(&state);
            st.requests.push(request);
            st.script
                .pop_front()
                .or_else(|| st.fallback.clone())
                .unwrap_or_else(|| {
                    Reply::status(500)
                        .header("Content-Type", "text/plain")
                        .body("no scripted reply")
                })
        };
        if reply.hang {
            std::future::pending::<()>().await;
        }
        let close = reply.close || close_requested;
        let complete = write_reply(&mut write, &reply, close, &written).await;
        if reply.reset {
            if let Ok(stream) = reader.into_inner().reunite(write) {
                let _ = stream.set_zero_linger();
            }
            return;
        }
        if !complete || close {
            return;
        }
    }
}

/// Writes `bytes`, counting them in `written`; false when the client went away.
async fn send(
    write: &mut tokio::net::tcp::OwnedWriteHalf,
    bytes: &[u8],
    written: &AtomicU64,
) -> bool {
    let ok = write.write_all(bytes).await.is_ok() && write.flush().await.is_ok();
    if ok {
        written.fetch_add(bytes.len() as u64, Ordering::Relaxed);
    }
    ok
}

/// Writes `reply` (announcing `Connection: close` when `close`); false when the client went
/// away.
async fn write_reply(
    write: &mut tokio::net::tcp::OwnedWriteHalf,
    reply: &Reply,
    close: bool,
    written: &AtomicU64,
) -> bool {
    if let Some(raw) = &reply.raw {
        return send(write, raw, written).await;
    }
    let len = reply.filler.unwrap_or(reply.body.len() as u64);
    let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {len}\r\n"));
    if close {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    if !send(write, head.as_bytes(), written).await {
        return false;
    }
    if let Some(mut left) = reply.filler {
        let block = vec![b' '; 64 * 1024];
        while left > 0 {
            let n = usize::try_from(left.min(block.len() as u64)).unwrap_or(block.len());
            if !send(write, &block[..n], written).await {
                return false;
            }
            left -= n as u64;
        }
    } else if let Some((chunk, every)) = reply.drip {
        for piece in reply.body.chunks(chunk) {
            if !send(write, piece, written).await {
                return false;
            }
            tokio::time::sleep(every).await;
        }
    } else {
        return send(write, &reply.body, written).await;
    }
    true
}

/// Reads one request; `None` on EOF or a malformed request.
async fn read_request(
    reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
) -> Option<RecordedRequest> {
    let mut line = String::new();
    if reader.read_line(&mut line).await.ok()? == 0 {
        return None;
    }
    let mut parts = line.trim_end().splitn(3, ' ');
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    let find = |name: &str| {
        headers
            .iter()
            .find(|(k, _): &&(String, String)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let mut body = Vec::new();
    if find("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).await.ok()?;
            let size = usize::from_str_radix(size.trim().split(';').next()?, 16).ok()?;
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk).await.ok()?;
            chunk.truncate(size);
            body.extend_from_slice(&chunk);
            if size == 0 {
                break;
            }
        }
    } else if let Some(len) = find("content-length") {
        let len: usize = len.parse().ok()?;
        body = vec![0; len];
        reader.read_exact(&mut body).await.ok()?;
    }
    Some(RecordedRequest {
        method,
        target,
        headers,
        body,
    })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

/// CRC-32 (IEEE), bitwise.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xedb8_8320 & mask);
        }
    }
    !crc
}

/// A gzip member holding `data` in stored (uncompressed) deflate blocks.
pub fn gzip_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    let mut chunks = data.chunks(0xffff).peekable();
    if chunks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(chunk) = chunks.next() {
        let last = chunks.peek().is_none();
        out.push(u8::from(last));
        let len = u16::try_from(chunk.len()).expect("chunk fits u16");
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(&crc32(data).to_le_bytes());
    out.extend_from_slice(&(u32::try_from(data.len() % (1 << 32)).unwrap_or(0)).to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_check_value() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
    }

    #[tokio::test]
    async fn serves_scripted_replies_and_records_requests() {
        let server = TestServer::start().await;
        server.reply(Reply::json(200, &serde_json::json!({"a": 1})));
        let mut stream = TcpStream::connect(server.addr()).await.unwrap();
        stream
            .write_all(b"POST /x?y=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi")
            .await
            .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).await.unwrap();
        assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
        assert!(response.ends_with(r#"{"a":1}"#));
        let requests = server.requests();
        assert_eq!(requests.len(), 1);
        assert_eq!(requests[0].method, "POST");
        assert_eq!(requests[0].path(), "/x");
        assert_eq!(requests[0].query(), Some("y=1"));
        assert_eq!(requests[0].header("host"), Some("h"));
        assert_eq!(requests[0].body, b"hi");
    }
}
