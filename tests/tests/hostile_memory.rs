//! Memory stays bounded under hostile bodies: a gzip bomb (1 MB on the wire, 1 GiB inflated) and
//! a large plain body end in `Error::BodyTooLarge` at the client's limit, with nothing more read.
//!
//! One test per process on purpose: it measures the process's peak resident memory (`VmHWM`)
//! before and after the bomb, so no other test may run beside it.

use std::io::Write as _;

use flate2::{Compress, Compression, Crc, FlushCompress};
use msgraph_sync::{ClientBuilder, Error, StatusCode};
use msgraph_sync_tests::clock::RecordingClock;
use msgraph_sync_tests::fixtures;
use msgraph_sync_tests::server::{Reply, TestServer};
use serde_json::Value;

const MIB: u64 = 1024 * 1024;

/// A gzip member whose data is `mib` MiB of zeros, written piece by piece: one MiB of zeros is
/// deflated once, ending in a sync flush (so it ends on a byte boundary, is not final and refers
/// only to its own output), and that piece is repeated; a final empty block and the trailer
/// (CRC-32 combined per piece, length mod 2^32) close the member.
fn gzip_bomb(mib: u32) -> Vec<u8> {
    let zeros = vec![0u8; 1 << 20];
    let mut deflate = Compress::new(Compression::best(), false);
    let mut piece = Vec::with_capacity(4096);
    deflate
        .compress_vec(&zeros, &mut piece, FlushCompress::Sync)
        .expect("deflate");
    assert_eq!(
        deflate.total_in(),
        1 << 20,
        "one call deflates the whole MiB"
    );
    let mut piece_crc = Crc::new();
    piece_crc.update(&zeros);

    let mut out = Vec::with_capacity(piece.len() * mib as usize + 32);
    out.write_all(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff])
        .unwrap();
    let mut crc = Crc::new();
    for _ in 0..mib {
        out.write_all(&piece).unwrap();
        crc.combine(&piece_crc);
    }
    // BFINAL=1, BTYPE=01 (fixed Huffman), end-of-block: 10 bits.
    out.write_all(&[0x03, 0x00]).unwrap();
    out.write_all(&crc.sum().to_le_bytes()).unwrap();
    out.write_all(&crc.amount().to_le_bytes()).unwrap();
    out
}

/// The process's peak resident set so far, in bytes (`VmHWM`), where the platform reports it.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_are_capped_after_decompression_and_memory_stays_bounded() {
    let bomb = gzip_bomb(1024);
    assert!(bomb.len() < 2 * MIB as usize, "{} bytes", bomb.len());
    // The bomb is a well-formed gzip member: its first MiB inflates to zeros.
    let mut head = flate2::read::GzDecoder::new(&bomb[..]);
    let mut first = vec![1u8; 1 << 20];
    std::io::Read::read_exact(&mut head, &mut first).unwrap();
    assert!(first.iter().all(|b| *b == 0));

    let server = TestServer::start().await;
    let client = fixtures::client(&server, &RecordingClock::new());
    assert_eq!(
        client.response_body_limit(),
        ClientBuilder::DEFAULT_RESPONSE_BODY_LIMIT
    );
    // A baseline call first, so the connection pool, TLS-free HTTP stack and runtime are warm.
    server.reply(Reply::json(200, &serde_json::json!({"id": "warm"})));
    let _: Value = fixtures::get_job(&client.v1(), "sp", "j").await.unwrap();
    let before = peak_rss();

    server.reply(
        Reply::status(200)
            .header("Content-Type", "application/json")
            .header("Content-Encoding", "gzip")
            .body(bomb.clone()),
    );
    let err = fixtures::get_job::<_, Value>(&client.v1(), "sp", "j")
        .await
        .unwrap_err();
    let after = peak_rss();
    match &err {
        Error::BodyTooLarge { status, limit, .. } => {
            assert_eq!(*status, StatusCode::OK);
            assert_eq!(*limit, 32 * MIB);
        }
        other => panic!("expected BodyTooLarge, got {other:?}"),
    }
    assert!(err.to_string().contains("33554432 bytes"), "{err}");
    assert_eq!(server.request_count(), 2, "a body too large is not retried");
    if let (Some(before), Some(after)) = (before, after) {
        let grew = after.saturating_sub(before);
        println!(
            "peak RSS: {:.1} MiB before the bomb, {:.1} MiB after (+{:.1} MiB; limit 32 MiB)",
            before as f64 / MIB as f64,
            after as f64 / MIB as f64,
            grew as f64 / MIB as f64
        );
        assert!(
            grew < 32 * MIB + 16 * MIB,
            "peak RSS grew by {grew} bytes under a 1 GiB gzip bomb"
        );
    }

    // A large plain body: refused from its Content-Length, before reading it.
    let written_before = server.bytes_written();
    server.reply(Reply::filler(200, 200 * MIB));
    let err = fixtures::get_job::<_, Value>(&client.v1(), "sp", "j")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::BodyTooLarge { .. }), "{err:?}");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let sent = server.bytes_written() - written_before;
    assert!(
        sent < 64 * MIB,
        "the server could write {sent} bytes: the client kept reading"
    );

    // A smaller limit applies the same way, and a body within it is read whole.
    let small = fixtures::builder(&server, &RecordingClock::new())
        .response_body_limit(1024)
        .build()
        .unwrap();
    server.reply(Reply::filler(200, 1025));
    let err = fixtures::get_job::<_, Value>(&small.v1(), "sp", "j")
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::BodyTooLarge { limit: 1024, .. }),
        "{err:?}"
    );
    let gzipped = |text: String| {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(text.as_bytes()).unwrap();
        let body = encoder.finish().unwrap();
        assert!(body.len() < 100, "{} bytes on the wire", body.len());
        Reply::status(200)
            .header("Content-Encoding", "gzip")
            .body(body)
    };
    server.reply(gzipped(format!(r#"{{"id": "{}"}}"#, "x".repeat(1000))));
    let job: Value = fixtures::get_job(&small.v1(), "sp", "j").await.unwrap();
    assert_eq!(job["id"].as_str().unwrap().len(), 1000);
    server.reply(gzipped(format!(r#"{{"id": "{}"}}"#, "x".repeat(1100))));
    let err = fixtures::get_job::<_, Value>(&small.v1(), "sp", "j")
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::BodyTooLarge { limit: 1024, .. }),
        "the cap counts decompressed bytes: {err:?}"
    );
}
