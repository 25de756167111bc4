//! What the stable property tests (crates/*/tests/it/fuzz_props.rs) share: the committed
//! seed corpus of a target and a proptest strategy of inputs near it, so a few hundred
//! cases on stable reach past the first parse error as the fuzzer does.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

/// The seed files of a target (`fuzz/seeds/TARGET/`), sorted by name.
pub fn seeds(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/seeds")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("seed corpus {}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no seeds in {}", dir.display());
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p, bytes)
        })
        .collect()
}

/// One edit of a byte string.
#[derive(Debug, Clone)]
enum Edit {
    /// Overwrite the byte at (position modulo length).
    Set(usize, u8),
    /// Insert a byte.
    Insert(usize, u8),
    /// Remove a byte.
    Remove(usize),
    /// Cut everything from here on.
    Truncate(usize),
    /// Copy a short run of bytes from one place to another.
    Splice(usize, usize, usize),
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for edit in edits {
        let len = bytes.len();
        match *edit {
            Edit::Insert(at, b) => bytes.insert(at % (len + 1), b),
            _ if len == 0 => {}
            Edit::Set(at, b) => bytes[at % len] = b,
            Edit::Remove(at) => {
                bytes.remove(at % len);
            }
            Edit::Truncate(at) => bytes.truncate(at % len),
            Edit::Splice(from, to, n) => {
                let from = from % len;
                let run: Vec<u8> = bytes[from..len.min(from + n % 32)].to_vec();
                let to = to % len;
                bytes.splice(to..to, run);
            }
        }
    }
    bytes
}

fn edit() -> impl Strategy<Value = Edit> {
    // Digits and JSON/CSV punctuation are weighted in: they change meaning, where most
    // random bytes only make the text invalid.
    let byte = prop_oneof![
        any::<u8>(),
        prop::sample::select(b"0123456789-.,;:\"[]{}\n\t eE+".to_vec()),
    ];
    prop_oneof![
        4 => (any::<usize>(), byte.clone()).prop_map(|(a, b)| Edit::Set(a, b)),
        2 => (any::<usize>(), byte).prop_map(|(a, b)| Edit::Insert(a, b)),
        2 => any::<usize>().prop_map(Edit::Remove),
        1 => any::<usize>().prop_map(Edit::Truncate),
        1 => (any::<usize>(), any::<usize>(), any::<usize>())
            .prop_map(|(a, b, n)| Edit::Splice(a, b, n)),
    ]
}

/// Inputs for a target: mostly a seed with a few edits, sometimes random bytes.
pub fn near_seeds(target: &str) -> impl Strategy<Value = Vec<u8>> {
    let seeds: Vec<Vec<u8>> = seeds(target).into_iter().map(|(_, b)| b).collect();
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..512),
        6 => (prop::sample::select(seeds), prop::collection::vec(edit(), 1..8))
            .prop_map(|(seed, edits)| apply(seed, &edits)),
    ]
}
