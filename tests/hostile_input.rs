//! A generated corpus of broken and hostile configurations: truncations and byte flips of the
//! examples, wrong types at every path, duplicate keys, alias bombs, huge strings, deep
//! nesting, invalid UTF-8. Each mutant is classified: an invalid one fails with a located
//! message, a still-valid one loads; none panics. A sample goes through the binary against a
//! served sandbox, which must see no call at all for an invalid configuration.

mod support;

use std::path::Path;

use intercom_iac::config::{Severity, load_sources, source};
use support::{Cli, Served};

/// Deterministic pseudo-random numbers (no dependency, reproducible corpus).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() as usize) % n.max(1)
    }
}

fn examples() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut files = vec![root.join("minimal.yaml")];
    let mut acme: Vec<_> = std::fs::read_dir(root.join("acme"))
        .unwrap()
        .map(|e| e.unwrap().path())
        // The YAML files (not the help_center/ folder).
        .filter(|p| p.is_file())
        .collect();
    acme.sort();
    files.extend(acme);
    files
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

/// Every JSON pointer of a value.
fn pointers(v: &serde_json::Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        serde_json::Value::Object(m) => m.iter().for_each(|(k, c)| {
            pointers(
                c,
                format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                out,
            )
        }),
        serde_json::Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, c)| pointers(c, format!("{at}/{i}"), out)),
        _ => {}
    }
}

fn wrong_type(v: &serde_json::Value) -> serde_json::Value {
    use serde_json::json;
    match v {
        serde_json::Value::String(_) => json!([1, 2]),
        serde_json::Value::Number(_) => json!("not a number"),
        serde_json::Value::Bool(_) => json!("maybe"),
        serde_json::Value::Array(_) => json!("a list was expected"),
        serde_json::Value::Object(_) => json!(5),
        serde_json::Value::Null => json!({"x": 1}),
    }
}

/// The corpus: (description, file name, bytes).
fn corpus() -> Vec<(String, String, Vec<u8>)> {
    let mut rng = Lcg(0x1badc0de);
    let mut out = Vec::new();
    let specials: &[u8] = b":-[]{}\"'\n \t\0&*!|>#%@`,?\xff\xfe";
    for (name, bytes) in examples() {
        for k in 1..=8 {
            let cut = bytes.len() * k / 9;
            out.push((
                format!("{name} truncated at {cut}"),
                name.clone(),
                bytes[..cut].to_vec(),
            ));
        }
        for _ in 0..12 {
            let mut b = bytes.clone();
            let at = rng.below(b.len());
            b[at] = specials[rng.below(specials.len())];
            out.push((format!("{name} with byte {at} flipped"), name.clone(), b));
        }
        // A duplicated line: duplicate keys, or a duplicated list item.
        let lines: Vec<&[u8]> = bytes.split(|c| *c == b'\n').collect();
        for _ in 0..3 {
            let at = rng.below(lines.len());
            let mut b = Vec::new();
            for (i, l) in lines.iter().enumerate() {
                b.extend_from_slice(l);
                b.push(b'\n');
                if i == at {
                    b.extend_from_slice(l);
                    b.push(b'\n');
                }
            }
            out.push((
                format!("{name} with line {} doubled", at + 1),
                name.clone(),
                b,
            ));
        }
        // Wrong types at every path (JSON is YAML).
        let text = String::from_utf8(bytes.clone()).unwrap();
        let json = source::parse(&text).unwrap().to_json();
        let mut ptrs = Vec::new();
        pointers(&json, String::new(), &mut ptrs);
        for p in ptrs.iter().skip(1) {
            let mut j = json.clone();
            let old = j.pointer(p).unwrap().clone();
            *j.pointer_mut(p).unwrap() = wrong_type(&old);
            out.push((
                format!("{name} with a wrong type at {p}"),
                name.clone(),
                serde_json::to_vec_pretty(&j).unwrap(),
            ));
        }
    }
    let bomb = support::alias_bomb();
    let extra: Vec<(&str, Vec<u8>)> = vec![
        ("alias bomb", bomb.into_bytes()),
        (
            "huge tag name",
            format!("tags:\n  - name: \"{}\"\n", "x".repeat(2_000_000)).into_bytes(),
        ),
        (
            "9 MB file",
            format!(
                "tags:\n{}",
                "  - name: padding-padding-padding\n".repeat(300_000)
            )
            .into_bytes(),
        ),
        (
            "deep nesting",
            format!("tags: {}{}\n", "[".repeat(5_000), "]".repeat(5_000)).into_bytes(),
        ),
        (
            "deep mappings",
            (0..100)
                .map(|i| format!("{}a:\n", " ".repeat(i)))
                .collect::<String>()
                .into_bytes(),
        ),
        ("invalid UTF-8", b"tags:\n  - name: \xc3\x28\n".to_vec()),
        ("NUL bytes", b"tags:\n  - name: a\0b\n".to_vec()),
        ("BOM", b"\xef\xbb\xbftags:\n  - name: bom\n".to_vec()),
        ("tab indentation", b"tags:\n\t- name: tab\n".to_vec()),
        (
            "merge key of a scalar",
            b"tags:\n  - <<: 5\n    name: x\n".to_vec(),
        ),
        ("empty", b"".to_vec()),
        ("only a document marker", b"---\n".to_vec()),
        ("two documents", b"tags: []\n---\ntags: []\n".to_vec()),
        ("a number", b"42\n".to_vec()),
        (
            "huge integer",
            b"version: 99999999999999999999999\n".to_vec(),
        ),
        ("negative version", b"version: -1\n".to_vec()),
        ("float infinity", b"version: .inf\n".to_vec()),
        ("unknown tag", b"tags: !!binary aGVsbG8=\n".to_vec()),
        ("key without value at top", b"tags\n".to_vec()),
        ("complex key", b"? [a, b]\n: c\n".to_vec()),
        ("anchor on a key", b"&k tags: []\n".to_vec()),
        ("undefined alias", b"tags: *nope\n".to_vec()),
    ];
    for (what, bytes) in extra {
        out.push((what.to_string(), "hostile.yaml".into(), bytes));
    }
    out
}

#[test]
fn every_mutant_is_classified_without_panicking() {
    let corpus = corpus();
    assert!(corpus.len() >= 200, "only {} mutants", corpus.len());
    let (mut valid, mut invalid) = (0, 0);
    for (what, name, bytes) in &corpus {
        let result = std::panic::catch_unwind(|| load_sources(vec![(name.clone(), bytes.clone())]));
        let result = result.unwrap_or_else(|_| panic!("panicked on: {what}"));
        match result {
            Ok(_) => valid += 1,
            Err(e) => {
                invalid += 1;
                let errors: Vec<_> = e
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .collect();
                assert!(!errors.is_empty(), "{what}: rejected without an error");
                for d in errors {
                    assert_eq!(d.file, *name, "{what}: {d}");
                    // Located: a line and column, except the whole-input size cap.
                    assert!(
                        d.pos.is_some() || d.message.contains("larger than the limit"),
                        "{what}: not located: {d}"
                    );
                    assert!(!d.message.is_empty(), "{what}");
                }
            }
        }
    }
    // Both classes occur: the corpus is neither trivially valid nor trivially broken.
    assert!(
        valid >= 10 && invalid >= 150,
        "valid {valid}, invalid {invalid}"
    );
}

#[test]
fn limits_have_their_own_messages() {
    let c = corpus();
    let get = |what: &str| {
        let (_, name, bytes) = c.iter().find(|(w, _, _)| w == what).unwrap();
        load_sources(vec![(name.clone(), bytes.clone())])
            .unwrap_err()
            .diagnostics[0]
            .message
            .clone()
    };
    assert!(get("9 MB file").contains("larger than the limit of 8 MB"));
    assert!(get("deep nesting").contains("deeper than the limit of 64"));
    assert!(get("alias bomb").contains("alias expansion exceeded"));
    assert_eq!(get("invalid UTF-8"), "the file is not valid UTF-8 text");
}

#[test]
fn a_sample_through_the_binary_never_reaches_the_workspace() {
    let served = Served::start_quiet(&[]);
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus();
    let mut checked = 0;
    for (i, (what, _, bytes)) in corpus.iter().enumerate().filter(|(i, _)| i % 12 == 0) {
        if load_sources(vec![("m.yaml".into(), bytes.clone())]).is_ok() {
            continue;
        }
        let path = dir.path().join(format!("m{i}.yaml"));
        std::fs::write(&path, bytes).unwrap();
        let run = Cli::new(dir.path())
            .args(["apply", "--auto-approve", "--endpoint", &served.url, "-c"])
            .arg(&path)
            .env("INTERCOM_ACCESS_TOKEN", "hostile-token")
            .run();
        let stderr = &run.stderr;
        assert_eq!(run.code, 1, "{what}: {stderr}");
        assert!(!stderr.contains("panicked"), "{what}: {stderr}");
        let located = format!("{}:", path.display());
        assert!(
            stderr.contains(&located) && stderr.contains(": error: "),
            "{what}: {stderr}"
        );
        checked += 1;
    }
    let s = served.stats();
    assert!(
        checked >= 10,
        "only {checked} invalid mutants went through the binary"
    );
    assert_eq!(
        s["total_calls"], 0,
        "an invalid configuration reached the workspace: {s}"
    );
}
