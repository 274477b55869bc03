//! Keeps ARCHITECTURE.md true, as rust-analyzer's tidy tests do: it names every source
//! file of the workspace, and every source file opens with a `//!` line saying what it owns.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path
                .file_name()
                .is_some_and(|n| n != "target" && n != "corpus")
            {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn architecture_names_every_source_file_and_each_says_what_it_owns() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let architecture = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let mut files = Vec::new();
    rust_files(&root.join("crates"), &mut files);
    rust_files(&root.join("benches"), &mut files);
    assert!(files.len() > 30, "found only {} files", files.len());
    let mut unnamed = Vec::new();
    let mut undocumented = Vec::new();
    for file in &files {
        let relative = file
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .to_string();
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        // Named by its path, or by its name in its crate's or folder's paragraph.
        let parent = file
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        if !architecture.contains(&relative)
            && !architecture.contains(&format!("{parent}/{name}"))
            && !architecture.contains(&format!("`{name}`"))
            && !architecture.contains(&format!("`src/{name}`"))
        {
            unnamed.push(relative.clone());
        }
        let text = std::fs::read_to_string(file).unwrap();
        if !text.starts_with("//!") {
            undocumented.push(relative);
        }
    }
    assert!(
        unnamed.is_empty(),
        "ARCHITECTURE.md does not name: {unnamed:?}"
    );
    assert!(
        undocumented.is_empty(),
        "no //! line at the top of: {undocumented:?}"
    );
}
