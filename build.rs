//! Compiles the generated vocabulary (`index/generated/vocabulary.toml`) into the compact binary
//! form the program includes with `include_bytes!`, so start-up decodes it instead of parsing TOML.

#[allow(dead_code)]
#[path = "src/text.rs"]
mod text;

#[allow(dead_code)]
#[path = "src/vocab/key.rs"]
mod key;

#[allow(dead_code)]
#[path = "src/vocab/data.rs"]
mod data;

use std::path::PathBuf;

const SOURCE: &str = "index/generated/vocabulary.toml";

fn main() {
    for path in [
        SOURCE,
        "src/text.rs",
        "src/vocab/key.rs",
        "src/vocab/data.rs",
        // The bundled sample data is compiled in by `include_dir!`, which stable Rust does not
        // track: rebuild when it changes.
        "sample-data",
    ] {
        println!("cargo:rerun-if-changed={path}");
    }
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into()));
    // Without a generated file (a fresh checkout before the first `vocab-build`), compile an
    // empty vocabulary so that `cargo run --bin vocab-build` itself can be built.
    let file: data::GeneratedFile = match std::fs::read_to_string(SOURCE) {
        Ok(text) => match toml::from_str(&text) {
            Ok(file) => file,
            Err(e) => panic!("{SOURCE}: {e}"),
        },
        Err(_) => {
            println!("cargo:warning={SOURCE} missing: compiling an empty vocabulary");
            data::GeneratedFile::default()
        }
    };
    let compiled = match data::compile(file.concepts) {
        Ok(compiled) => compiled,
        Err(problems) => {
            let lines: Vec<String> = problems
                .iter()
                .map(|p| format!("{}: {}: {}", p.concept, p.field, p.message))
                .collect();
            panic!("{SOURCE}: {}", lines.join("\n"));
        }
    };
    let bytes = match postcard::to_stdvec(&compiled) {
        Ok(bytes) => bytes,
        Err(e) => panic!("encoding the vocabulary: {e}"),
    };
    if let Err(e) = std::fs::write(out_dir.join("vocabulary.bin"), bytes) {
        panic!("writing the compiled vocabulary: {e}");
    }
}
