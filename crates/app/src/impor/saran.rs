//! The suggested mapping: which of a file's fields most likely holds each of Kumuh's, by
//! the words of their names.
//!
//! The rule, as the viewer's "Impor data" box and `POST /api/impor/pratinjau` apply it:
//!
//! 1. A name is read as words: split at `_`, `-`, `.`, spaces, between letters and
//!    digits and where lower case turns to upper (`KodeDesa` is `kode desa`), folded to
//!    lower case, with the usual abbreviations read in full: `kd`, `code`, `kode` → kode;
//!    `nm`, `name`, `nama` → nama; `no`, `nmr`, `nomor`, `number` → nomor; `tgl`,
//!    `date`, `tanggal` → tanggal; `kel`, `kelurahan`, `village`, `desa` → desa;
//!    `area`, `luas` → luas; `type`, `tipe`, `jenis` → jenis; `condition`, `kondisi` →
//!    kondisi; `alias`, `lain` → alt.
//! 2. A file's field fits a Kumuh field when its words hold every word of the Kumuh field
//!    (`luas_ha` needs only `luas`, and no `m2`). Its other words count against it,
//!    except the name of the level being imported (`desa` in `KD_DESA` for a desa
//!    import, `lokasi` in `KODE_LOKASI` for slum locations).
//! 3. The fits are taken best first (fewest other words, then Kumuh's order of fields,
//!    then the file's order); each Kumuh field and each file field is used once.
//!
//! A field already carrying Kumuh's name maps itself, so it is suggested too. Fields
//! whose names the mapping cannot write (starting with a digit, or with other characters
//! than letters, digits, `_`, `.`, `-` and spaces) are never suggested.

use kumuh_domain::Level;
use kumuh_io::geojson::ImportKind;

/// One of Kumuh's fields for an import: its name, whether every feature needs it, and
/// what it holds (for the viewer's labels and the OpenAPI document).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bidang {
    /// The field as the import reads it (`kode`, `nama`, `kode_desa` …).
    pub nama: &'static str,
    /// Whether the import needs it (an RT's `kode` may instead be made of `kode_desa`,
    /// `rw` and `rt`).
    pub wajib: bool,
}

const fn b(nama: &'static str, wajib: bool) -> Bidang {
    Bidang { nama, wajib }
}

const RT: &[Bidang] = &[
    b("kode", false),
    b("nama", true),
    b("kode_desa", false),
    b("rw", false),
    b("rt", false),
    b("nama_alt", false),
    b("kode_bps", false),
    b("luas_ha", false),
];
const PLACE: &[Bidang] = &[
    b("kode", true),
    b("nama", true),
    b("nama_alt", false),
    b("kode_bps", false),
    b("luas_ha", false),
];
const LOKASI: &[Bidang] = &[
    b("kode", true),
    b("nama", true),
    b("kode_desa", true),
    b("kawasan", false),
    b("rt", false),
    b("sk_nomor", false),
    b("sk_tanggal", false),
    b("luas_ha", false),
];
const JARINGAN: &[Bidang] = &[
    b("kode", true),
    b("jenis", true),
    b("kondisi", true),
    b("contoh", false),
];

/// Kumuh's fields for an import of `kind`, in the order they are matched and shown.
pub fn bidang(kind: ImportKind) -> &'static [Bidang] {
    match kind {
        ImportKind::Places(Level::Rt) => RT,
        ImportKind::Places(_) => PLACE,
        ImportKind::Lokasi => LOKASI,
        ImportKind::Jaringan => JARINGAN,
    }
}

/// The words of a name, with abbreviations read in full (rule 1).
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut prev: Option<char> = None;
    for c in name.chars() {
        let split = match prev {
            _ if !c.is_alphanumeric() => true,
            Some(p) => {
                (p.is_lowercase() && c.is_uppercase())
                    || (p.is_alphabetic() && c.is_ascii_digit())
                    || (p.is_ascii_digit() && c.is_alphabetic())
            }
            None => false,
        };
        if split && !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        }
        prev = Some(c);
    }
    if !word.is_empty() {
        out.push(word);
    }
    out.into_iter()
        .map(|w| {
            match w.as_str() {
                "kd" | "code" | "kode" => "kode",
                "nm" | "name" | "nama" => "nama",
                "no" | "nmr" | "nomor" | "number" => "nomor",
                "tgl" | "date" | "tanggal" => "tanggal",
                "kel" | "kelurahan" | "village" | "desa" => "desa",
                "area" | "luas" => "luas",
                "type" | "tipe" | "jenis" => "jenis",
                "condition" | "kondisi" => "kondisi",
                "alias" | "lain" => "alt",
                _ => return w,
            }
            .to_owned()
        })
        .collect()
}

/// The words a Kumuh field needs (rule 2), and the words that rule a file's field out.
fn needs(field: &str) -> (Vec<String>, &'static [&'static str]) {
    match field {
        "luas_ha" => (vec!["luas".to_owned()], &["m2", "m"]),
        "kode_bps" => (vec!["kode".to_owned(), "bps".to_owned()], &[]),
        _ => (words(field), &[]),
    }
}

/// The word naming the level imported, which does not count against a field (rule 2).
fn level_word(kind: ImportKind) -> &'static str {
    match kind {
        ImportKind::Places(Level::Desa) => "desa",
        ImportKind::Places(level) => level.as_str(),
        ImportKind::Lokasi => "lokasi",
        ImportKind::Jaringan => "jaringan",
    }
}

/// Whether the mapping can name this field (see `kumuh_io::foreign::mapping`).
fn writable(field: &str) -> bool {
    !field.is_empty()
        && !field.starts_with(|c: char| c.is_ascii_digit() || c == '-')
        && field
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | ' ' | '-'))
}

/// The suggested file field for each of Kumuh's fields of `kind` that one fits, in
/// Kumuh's order of fields.
///
/// # Examples
/// ```
/// use kumuh_app::impor::sarankan;
/// use kumuh_domain::Level;
/// use kumuh_io::geojson::ImportKind;
/// let fields = ["KD_DESA", "NAMA_DESA", "LUAS_HA"].map(String::from);
/// let s = sarankan(&fields, ImportKind::Places(Level::Desa));
/// assert_eq!(s, [("kode", "KD_DESA".to_owned()), ("nama", "NAMA_DESA".to_owned()),
///                ("luas_ha", "LUAS_HA".to_owned())]);
/// ```
pub fn sarankan(fields: &[String], kind: ImportKind) -> Vec<(&'static str, String)> {
    let targets = bidang(kind);
    let level = level_word(kind);
    let mut fits = Vec::new();
    for (t, target) in targets.iter().enumerate() {
        let (needed, banned) = needs(target.nama);
        for (f, field) in fields.iter().enumerate() {
            if !writable(field) {
                continue;
            }
            let have = words(field);
            if banned.iter().any(|b| have.iter().any(|w| w == b))
                || !needed.iter().all(|n| have.contains(n))
            {
                continue;
            }
            let others = have
                .iter()
                .filter(|w| !needed.contains(w) && *w != level)
                .count();
            fits.push((others, t, f));
        }
    }
    fits.sort_unstable();
    let mut chosen: Vec<Option<usize>> = vec![None; targets.len()];
    let mut used = vec![false; fields.len()];
    for (_, t, f) in fits {
        if chosen[t].is_none() && !used[f] {
            chosen[t] = Some(f);
            used[f] = true;
        }
    }
    targets
        .iter()
        .zip(chosen)
        .filter_map(|(t, f)| f.map(|f| (t.nama, fields[f].clone())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(fields: &[&str], kind: ImportKind, expected: &[(&str, &str)]) {
        let fields: Vec<String> = fields.iter().map(|s| (*s).to_owned()).collect();
        let got = sarankan(&fields, kind);
        let got: Vec<(&str, &str)> = got.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(got, expected, "{fields:?}");
    }

    #[test]
    fn names_are_read_as_words() {
        assert_eq!(words("KD_DESA"), ["kode", "desa"]);
        assert_eq!(words("NamaKel"), ["nama", "desa"]);
        assert_eq!(words("no rt2"), ["nomor", "rt", "2"]);
        assert_eq!(words("LUAS_HA"), ["luas", "ha"]);
    }

    #[test]
    fn desa_fields_of_a_consultants_shapefile() {
        let desa = ImportKind::Places(Level::Desa);
        check(
            &["OBJECTID", "KD_DESA", "NAMA_DESA", "LUAS_HA", "KD_BPS"],
            desa,
            &[
                ("kode", "KD_DESA"),
                ("nama", "NAMA_DESA"),
                ("kode_bps", "KD_BPS"),
                ("luas_ha", "LUAS_HA"),
            ],
        );
        // Kumuh's own names map themselves; square metres are not hectares.
        check(
            &["kode", "nama", "LUAS_M2"],
            desa,
            &[("kode", "kode"), ("nama", "nama")],
        );
        check(&["FID", "SHAPE_LEN"], desa, &[]);
    }

    #[test]
    fn the_closest_name_wins_and_each_field_is_used_once() {
        // For a location the desa code is `kode_desa`; the location's own code is the
        // one naming the level.
        check(
            &["KD_DESA", "KODE_LOKASI", "NAMA_LOKASI", "NM_KAWASAN"],
            ImportKind::Lokasi,
            &[
                ("kode", "KODE_LOKASI"),
                ("nama", "NAMA_LOKASI"),
                ("kode_desa", "KD_DESA"),
                ("kawasan", "NM_KAWASAN"),
            ],
        );
        // Without a code of its own, KD_DESA stays the desa's, not the location's.
        check(
            &["KD_DESA", "NAMA"],
            ImportKind::Lokasi,
            &[("nama", "NAMA"), ("kode_desa", "KD_DESA")],
        );
        check(
            &["KD_DESA", "NO_RW", "NO_RT", "NAMA_RT"],
            ImportKind::Places(Level::Rt),
            &[
                ("nama", "NAMA_RT"),
                ("kode_desa", "KD_DESA"),
                ("rw", "NO_RW"),
                ("rt", "NO_RT"),
            ],
        );
        check(
            &["KODE_RUAS", "TIPE", "KONDISI", "2019"],
            ImportKind::Jaringan,
            &[
                ("kode", "KODE_RUAS"),
                ("jenis", "TIPE"),
                ("kondisi", "KONDISI"),
            ],
        );
    }
}
