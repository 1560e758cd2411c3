//! The generator's output is a function of the spec's content alone: two runs give the same bytes, and
//! so does the same spec with every YAML mapping written in reverse order.

use std::path::Path;

use msgraph_sync_codegen::{EmitOptions, generate, load};

const SPEC_NAME: &str = "spec/msgraph-sync.yaml";

fn spec_text() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/msgraph-sync.yaml");
    std::fs::read_to_string(path).expect("the curated spec is readable")
}

fn files_of(text: &str) -> Vec<(String, String)> {
    let spec = load::load_str(SPEC_NAME, text).unwrap_or_else(|e| panic!("spec loads:\n{e}"));
    generate(&spec, &EmitOptions::default())
        .unwrap_or_else(|e| panic!("spec generates:\n{e}"))
        .files
}

/// Rebuilds every mapping with its keys in reverse order; sequences keep their order.
fn reverse_maps(value: serde_yaml::Value) -> serde_yaml::Value {
    match value {
        serde_yaml::Value::Mapping(map) => {
            let mut entries: Vec<(serde_yaml::Value, serde_yaml::Value)> =
                map.into_iter().collect();
            entries.reverse();
            let mut out = serde_yaml::Mapping::new();
            for (k, v) in entries {
                out.insert(k, reverse_maps(v));
            }
            serde_yaml::Value::Mapping(out)
        }
        serde_yaml::Value::Sequence(items) => {
            serde_yaml::Value::Sequence(items.into_iter().map(reverse_maps).collect())
        }
        other => other,
    }
}

#[test]
fn two_runs_are_byte_identical() {
    let text = spec_text();
    assert_eq!(files_of(&text), files_of(&text));
}

#[test]
fn reordered_maps_give_byte_identical_output() {
    let text = spec_text();
    let value: serde_yaml::Value = serde_yaml::from_str(&text).expect("spec is YAML");
    let reordered = serde_yaml::to_string(&reverse_maps(value)).expect("re-serializes");
    // The first key of the document moves, proving the maps were really reversed.
    let first_key = |t: &str| {
        t.lines()
            .find(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(str::to_owned)
    };
    assert_ne!(first_key(&reordered), first_key(&text));

    let original = files_of(&text);
    let shuffled = files_of(&reordered);
    assert_eq!(original.len(), shuffled.len());
    for ((name_a, text_a), (name_b, text_b)) in original.iter().zip(&shuffled) {
        assert_eq!(name_a, name_b);
        assert!(
            text_a == text_b,
            "{name_a} differs when the spec's maps are reordered"
        );
    }
}

/// Every model field spells out its wire name (`#[graph(rename = "...")]` of the GraphModel derive, or
/// serde's `#[serde(rename = "...")]`), never leaving it to be derived from the Rust name.
#[test]
fn every_model_field_names_its_wire_name() {
    let files = files_of(&spec_text());
    let (_, models) = files
        .iter()
        .find(|(name, _)| name == "models.rs")
        .expect("models.rs is generated");
    let file = syn::parse_file(models).expect("models.rs parses");
    let mut fields = 0;
    for item in &file.items {
        let syn::Item::Struct(item) = item else {
            continue;
        };
        for field in &item.fields {
            let name = field.ident.as_ref().expect("named field").to_string();
            if name == "additional_properties" {
                continue;
            }
            let renamed = field.attrs.iter().any(|attr| {
                (attr.path().is_ident("graph") || attr.path().is_ident("serde"))
                    && attr
                        .meta
                        .require_list()
                        .is_ok_and(|list| list.tokens.to_string().starts_with("rename = \""))
            });
            assert!(renamed, "{}::{name} has no explicit wire name", item.ident);
            fields += 1;
        }
    }
    assert!(fields > 100, "only {fields} fields seen");
}
