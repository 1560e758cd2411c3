//! Any text as a spec: loading and generating give files or a spec error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use msgraph_sync_codegen::{EmitOptions, generate, load};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(spec) = load::load_str("fuzz.yaml", text) {
        // Either the files or a typed error; a generator bug (emitted code that does not parse, or
        // printed files that are not Rust) is a failure as much as a panic is.
        match generate(&spec, &EmitOptions::default()) {
            Ok(generated) => {
                for (name, text) in &generated.files {
                    if let Err(e) = syn::parse_file(text) {
                        panic!("{name} is not Rust: {e}");
                    }
                }
            }
            Err(msgraph_sync_codegen::Error::Emit(e)) => panic!("emitted code does not parse: {e}"),
            Err(_) => {}
        }
    }
});
