//! `msgraph-sync-emulator`: serves the emulated synchronization API on 127.0.0.1.

use std::process::ExitCode;

use msgraph_sync_emulator::{App, Emulator};

const USAGE: &str = "\
usage: msgraph-sync-emulator [--port N] [--state FILE] [--demo] [--manual-clock] [--exit-when-ready]

  --port N           port on 127.0.0.1 (0 = any free port; default 8080)
  --state FILE       load a JSON snapshot (the format of GET /_emulator/state)
  --demo             seed the README quickstart's tenant: service principal
                     a1b2c3d4-0000-0000-0000-000000000000 with template BoxOutDelta
  --manual-clock     the emulated clock moves only through POST /_emulator/clock/advance
                     (by default it also follows real time)
  --exit-when-ready  exit as soon as the server listens (start-up time measurements)

Prints `listening on http://127.0.0.1:PORT` once it serves; requests go to that URL + /v1.0 or /beta.";

/// The README quickstart's service principal.
const DEMO_SERVICE_PRINCIPAL: &str = "a1b2c3d4-0000-0000-0000-000000000000";

struct Options {
    port: u16,
    state: Option<String>,
    demo: bool,
    manual_clock: bool,
    exit_when_ready: bool,
}

fn parse(args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        port: 8080,
        state: None,
        demo: false,
        manual_clock: false,
        exit_when_ready: false,
    };
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = |what: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{what} needs a value"))
        };
        match name.as_str() {
            "--port" => {
                let v = value("--port")?;
                options.port = v
                    .parse()
                    .map_err(|_| format!("--port: {v:?} is not a port number (0-65535)"))?;
            }
            "--state" => options.state = Some(value("--state")?),
            "--demo" => options.demo = true,
            "--manual-clock" => options.manual_clock = true,
            "--exit-when-ready" => options.exit_when_ready = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(options)
}

fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
        Ok(o) => o,
        Err(message) if message.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("msgraph-sync-emulator: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("msgraph-sync-emulator: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(options))
}

async fn run(options: Options) -> ExitCode {
    let mut builder = Emulator::builder()
        .port(options.port)
        .realtime_clock(!options.manual_clock);
    if let Some(path) = &options.state {
        let snapshot = match std::fs::read_to_string(path) {
            Ok(text) => match serde_json::from_str(&text) {
                Ok(value) => value,
                Err(e) => {
                    eprintln!("msgraph-sync-emulator: {path}: not JSON: {e}");
                    return ExitCode::FAILURE;
                }
            },
            Err(e) => {
                eprintln!("msgraph-sync-emulator: {path}: {e}");
                return ExitCode::FAILURE;
            }
        };
        builder = builder.snapshot(snapshot);
    }
    if options.demo {
        builder = builder.app(
            App::new(DEMO_SERVICE_PRINCIPAL)
                .template("BoxOutDelta")
                .valid_credentials(),
        );
    }
    let emulator = match builder.start().await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("msgraph-sync-emulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("listening on {}", emulator.base_url());
    if options.exit_when_ready {
        return ExitCode::SUCCESS;
    }
    std::future::pending::<()>().await;
    ExitCode::SUCCESS
}
