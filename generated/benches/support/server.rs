//! A loopback HTTP/1.1 server for the benches: canned bodies, on its own thread and runtime so the
//! client side has the other core. `POST` answers 201 with the created job, anything else 200 with a
//! page of jobs. With a gate of `n`, answers are held until `n` requests have arrived, so that `n`
//! requests are in flight at once.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::sync::{oneshot, watch};

/// The canned answers.
#[derive(Clone)]
pub struct Bodies {
    /// The body of `201 Created` for a `POST`.
    pub created: Bytes,
    /// The body of `200 OK` for anything else.
    pub page: Bytes,
}

/// Holds answers until `n` requests have arrived.
struct Gate {
    n: usize,
    arrived: AtomicUsize,
    open: watch::Sender<bool>,
}

/// A running server; dropping it stops it.
pub struct Server {
    /// Where it listens.
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Starts a server answering with `bodies`; with `hold = Some(n)`, nothing is answered before
    /// `n` requests have arrived.
    pub fn start(bodies: Bodies, hold: Option<usize>) -> Server {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener.set_nonblocking(true).expect("nonblocking");
        let addr = listener.local_addr().expect("local address");
        let (stop, stopped) = oneshot::channel();
        let gate = hold.map(|n| {
            Arc::new(Gate {
                n,
                arrived: AtomicUsize::new(0),
                open: watch::channel(false).0,
            })
        });
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("server runtime");
            runtime.block_on(accept(listener, bodies, gate, stopped));
        });
        Server {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn accept(
    listener: std::net::TcpListener,
    bodies: Bodies,
    gate: Option<Arc<Gate>>,
    mut stopped: oneshot::Receiver<()>,
) {
    let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
    loop {
        let stream = tokio::select! {
            _ = &mut stopped => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => continue,
            },
        };
        let _ = stream.set_nodelay(true);
        let (bodies, gate) = (bodies.clone(), gate.clone());
        let service = service_fn(move |request| answer(request, bodies.clone(), gate.clone()));
        tokio::spawn(async move {
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn answer(
    request: Request<Incoming>,
    bodies: Bodies,
    gate: Option<Arc<Gate>>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let post = request.method() == Method::POST;
    // Read the request body whole, as a real server does before answering.
    let _ = request.into_body().collect().await;
    if let Some(gate) = gate {
        let mut open = gate.open.subscribe();
        if gate.arrived.fetch_add(1, Ordering::SeqCst) + 1 >= gate.n {
            gate.open.send_replace(true);
        }
        let _ = open.wait_for(|open| *open).await;
    }
    let (status, body) = if post {
        (StatusCode::CREATED, bodies.created)
    } else {
        (StatusCode::OK, bodies.page)
    };
    let response = Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("request-id", "00000000-0000-0000-0000-000000000000")
        .body(Full::new(body))
        .expect("a valid response");
    Ok(response)
}
