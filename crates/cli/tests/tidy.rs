//! Keeps ARCHITECTURE.md true, as rust-analyzer's tidy tests do: it names every source
//! file of the workspace by its path, every source file opens with a `//!` line saying what
//! it owns, and the claims that can be checked hold: which crate depends on which (the
//! table in ARCHITECTURE.md against the manifests), no I/O in the model and the engine, and
//! no command of the CLI importing another.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path
                .file_name()
                .is_some_and(|n| n != "target" && n != "corpus" && n != "golden")
            {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn relative(file: &Path) -> String {
    file.strip_prefix(root())
        .unwrap()
        .to_string_lossy()
        .to_string()
}

/// ARCHITECTURE.md's section of a crate folder (`crates/sim`, `benches`): from its
/// `**\`FOLDER/\`` or `**\`FOLDER\`` heading to the next such heading.
fn section<'a>(architecture: &'a str, folder: &str) -> &'a str {
    let heads: Vec<usize> = architecture
        .match_indices("\n**`")
        .map(|(i, _)| i + 1)
        .collect();
    for (k, &start) in heads.iter().enumerate() {
        let head = &architecture[start..];
        if head.starts_with(&format!("**`{folder}`")) || head.starts_with(&format!("**`{folder}/`"))
        {
            let end = heads.get(k + 1).copied().unwrap_or(architecture.len());
            return &architecture[start..end];
        }
    }
    ""
}

/// The crate folder of a source file (`crates/sim`, `benches`) and its path within it.
fn split_crate(relative: &str) -> (String, String) {
    let parts: Vec<&str> = relative.splitn(3, '/').collect();
    if parts[0] == "crates" {
        (format!("crates/{}", parts[1]), parts[2].to_string())
    } else {
        (
            parts[0].to_string(),
            relative[parts[0].len() + 1..].to_string(),
        )
    }
}

#[test]
fn architecture_names_every_source_file_by_its_path_and_each_says_what_it_owns() {
    let architecture = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let mut files = Vec::new();
    rust_files(&root().join("crates"), &mut files);
    rust_files(&root().join("benches"), &mut files);
    assert!(files.len() > 30, "found only {} files", files.len());
    let mut unnamed = Vec::new();
    let mut undocumented = Vec::new();
    for file in &files {
        let relative = relative(file);
        // Its whole path anywhere, or its path within its crate in the crate's section
        // (`src/model/groups.rs` under **`crates/sim`**).
        let (krate, inner) = split_crate(&relative);
        let named = architecture.contains(&format!("`{relative}`"))
            || section(&architecture, &krate).contains(&format!("`{inner}`"));
        if !named {
            unnamed.push(relative.clone());
        }
        let text = std::fs::read_to_string(file).unwrap();
        if !text.starts_with("//!") {
            undocumented.push(relative);
        }
    }
    assert!(
        unnamed.is_empty(),
        "ARCHITECTURE.md does not name by its path (`crates/x/src/f.rs`, or `src/f.rs` in the crate's section): {unnamed:?}"
    );
    assert!(
        undocumented.is_empty(),
        "no //! line at the top of: {undocumented:?}"
    );
}

#[test]
fn the_check_of_names_has_teeth() {
    // A file named only by its bare name, or by its path in another crate's section, is
    // not named.
    let doc = "\n**`crates/a`**: x\n- `src/run.rs`: y\n\n**`crates/b`**: z `lib.rs`\n";
    assert!(section(doc, "crates/a").contains("`src/run.rs`"));
    assert!(!section(doc, "crates/b").contains("`src/run.rs`"));
    assert!(!section(doc, "crates/b").contains("`src/lib.rs`"));
    assert_eq!(
        split_crate("crates/sim/src/model/mod.rs"),
        ("crates/sim".to_string(), "src/model/mod.rs".to_string())
    );
    assert_eq!(
        split_crate("benches/benches/engine.rs"),
        ("benches".to_string(), "benches/engine.rs".to_string())
    );
}

/// The workspace crates each crate's manifest depends on (normal dependencies).
fn manifest_deps(folder: &str) -> Vec<String> {
    let text = std::fs::read_to_string(root().join(folder).join("Cargo.toml")).unwrap();
    let value: toml::Value = toml::from_str(&text).unwrap();
    let mut deps: Vec<String> = value
        .get("dependencies")
        .and_then(|d| d.as_table())
        .map(|t| {
            t.keys()
                .filter(|k| k.starts_with("collabgov-"))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    deps.sort();
    deps
}

#[test]
fn the_dependency_table_is_the_manifests() {
    let architecture = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    // Lines `- collabgov-X (crates/x): collabgov-a, collabgov-b` (or `none`).
    let mut table: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
    let start = architecture
        .find("## Which crate depends on which")
        .expect("ARCHITECTURE.md has its dependency table");
    for line in architecture[start..].lines().skip(1) {
        if line.starts_with("## ") {
            break;
        }
        let Some(rest) = line.strip_prefix("- `") else {
            continue;
        };
        let (name, rest) = rest.split_once("` (`").unwrap();
        let (folder, deps) = rest.split_once("`): ").unwrap();
        let mut deps: Vec<String> = if deps.trim() == "none" {
            Vec::new()
        } else {
            deps.split(", ")
                .map(|d| d.trim().trim_matches('`').to_string())
                .collect()
        };
        deps.sort();
        table.insert(name.to_string(), (folder.to_string(), deps));
    }
    let members = ["core", "sim", "study", "viz", "web", "cli", "python"];
    assert_eq!(
        table.len(),
        members.len() + 1,
        "one line per crate and the benches: {table:?}"
    );
    for (name, (folder, deps)) in &table {
        assert_eq!(
            &manifest_deps(folder),
            deps,
            "{name} ({folder}): ARCHITECTURE.md's dependencies against its Cargo.toml"
        );
    }
    // Upward never: each crate depends only on crates below it.
    let order = [
        "collabgov-core",
        "collabgov-sim",
        "collabgov-study",
        "collabgov-viz",
        "collabgov-web",
        "collabgov-cli",
        "collabgov-python",
        "collabgov-benches",
    ];
    for (name, (_, deps)) in &table {
        let level = order.iter().position(|o| o == name).unwrap();
        for d in deps {
            let below = order.iter().position(|o| o == d).unwrap();
            assert!(below < level, "{name} depends on {d}, which sits above it");
        }
    }
}

#[test]
fn the_model_and_the_engine_do_no_io() {
    let mut files = Vec::new();
    rust_files(&root().join("crates/core/src"), &mut files);
    rust_files(&root().join("crates/sim/src"), &mut files);
    let forbidden = [
        "std::fs",
        "File::",
        "std::net",
        "std::env",
        "std::process",
        "println!",
    ];
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for f in forbidden {
            assert!(
                !text.contains(f),
                "{} uses {f}: core and sim read and write nothing (that is study's and the front ends')",
                relative(file)
            );
        }
    }
}

#[test]
fn no_command_imports_another() {
    let dir = root().join("crates/cli/src/commands");
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let path = entry.path();
        if path.file_name().is_some_and(|n| n == "mod.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for f in ["crate::commands::", "super::"] {
            assert!(
                !text.contains(f),
                "{} imports another command ({f}): shared work goes to collabgov-study, or to a shared module of the CLI",
                relative(&path)
            );
        }
    }
}
