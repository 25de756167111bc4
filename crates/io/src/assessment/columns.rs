//! The columns of an assessment table: what the reader requires, what the template
//! offers and what the instructions sheet explains.

use kumuh_domain::assessment::{Criterion, RuleSet};

/// What a column holds, which decides how its cells are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Free text.
    Text,
    /// A Kemendagri desa code, `NN.NN.NN.NNNN`.
    KodeDesa,
    /// A year, 2000..=2100.
    Year,
    /// A whole number, zero or more.
    Count,
    /// A decimal number, zero or more.
    Measure,
    /// A criterion volume: any decimal number (a negative one is reported beside the
    /// result, as the published system computes it).
    Volume,
    /// `ya` or `tidak`.
    YesNo,
}

/// One column of the assessment table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnSpec {
    /// The header, e.g. `luas_ha` or `v1a`.
    pub name: String,
    /// Whether the header must be present.
    pub required: bool,
    /// How cells are read.
    pub kind: ColumnKind,
    /// The unit, as a user writes it (`ha`, `m`, `KK`, `jiwa/ha`, `ya/tidak`), or empty.
    pub unit: String,
    /// What to enter, in Bahasa Indonesia.
    pub description_id: String,
    /// What to enter, in English.
    pub description_en: String,
}

fn spec(
    name: &str,
    required: bool,
    kind: ColumnKind,
    unit: &str,
    description_id: &str,
    description_en: &str,
) -> ColumnSpec {
    ColumnSpec {
        name: name.to_owned(),
        required,
        kind,
        unit: unit.to_owned(),
        description_id: description_id.to_owned(),
        description_en: description_en.to_owned(),
    }
}

/// The name of a criterion's volume column: `v` + code.
pub fn volume_column(code: &str) -> String {
    format!("v{code}")
}

fn volume_spec(c: &Criterion) -> ColumnSpec {
    ColumnSpec {
        name: volume_column(&c.code),
        required: true,
        kind: ColumnKind::Volume,
        unit: c.volume_unit.clone(),
        description_id: format!(
            "Volume kriteria {} ({}): {}. Persentase = volume / {} x 100.",
            c.code,
            c.aspect_name.to_lowercase(),
            c.name,
            c.denominator.label_id()
        ),
        description_en: format!(
            "Volume of criterion {}: {}; the percentage is volume / {} x 100",
            c.code, c.name, c.denominator
        ),
    }
}

/// Every column of the table for a rule set, in template order: identity, size, one
/// volume per criterion, then the optional considerations and legality.
pub fn columns(rules: &RuleSet) -> Vec<ColumnSpec> {
    use ColumnKind::*;
    let mut out = vec![
        spec(
            "kode_lokasi",
            true,
            Text,
            "",
            "Kode lokasi kumuh, unik di atlas, mis. 35.19.09.2014-K01.",
            "Code of the slum location, unique in the atlas",
        ),
        spec(
            "nama_lokasi",
            true,
            Text,
            "",
            "Nama lokasi, mis. Wungu RT 003 RW 001.",
            "Name of the location",
        ),
        spec(
            "kode_desa",
            true,
            KodeDesa,
            "",
            "Kode Kemendagri desa/kelurahan tempat lokasi berada, mis. 35.19.09.2014 \
             (format NN.NN.NN.NNNN; isi sebagai teks).",
            "Kemendagri code of the desa/kelurahan (village), NN.NN.NN.NNNN",
        ),
        spec(
            "tahun",
            true,
            Year,
            "tahun",
            "Tahun pendataan (2000 sampai 2100).",
            "Survey year (2000 to 2100)",
        ),
        spec(
            "luas_ha",
            true,
            Measure,
            "ha",
            "Luas verifikasi lokasi dalam hektare.",
            "Verified area (luas verifikasi), hectares",
        ),
        spec(
            "jumlah_bangunan",
            true,
            Count,
            "unit",
            "Jumlah bangunan di lokasi.",
            "Number of buildings (jumlah bangunan)",
        ),
        spec(
            "jumlah_penduduk",
            true,
            Count,
            "jiwa",
            "Jumlah penduduk (jiwa).",
            "Population (jumlah penduduk), persons",
        ),
        spec(
            "jumlah_kk",
            true,
            Count,
            "KK",
            "Jumlah kepala keluarga (KK).",
            "Number of households (jumlah KK, kepala keluarga)",
        ),
        spec(
            "panjang_jalan_ideal_m",
            true,
            Measure,
            "m",
            "Panjang jalan lingkungan ideal dalam meter.",
            "Ideal neighbourhood road length (panjang jalan lingkungan ideal), metres",
        ),
        spec(
            "panjang_drainase_ideal_m",
            true,
            Measure,
            "m",
            "Panjang drainase lingkungan ideal dalam meter.",
            "Ideal drainage length (panjang drainase lingkungan ideal), metres",
        ),
    ];
    out.extend(rules.criteria().iter().map(volume_spec));
    out.extend([
        spec(
            "nilai_strategis",
            false,
            YesNo,
            "ya/tidak",
            "Pertimbangan lain: apakah lokasi bernilai strategis bagi kota/kabupaten? \
             Isi bersama potensi_sosial_ekonomi, atau kosongkan keduanya.",
            "Other considerations: is the location strategic (nilai strategis lokasi)? \
             Fill together with potensi_sosial_ekonomi, or leave both empty",
        ),
        spec(
            "kepadatan_penduduk",
            false,
            Measure,
            "jiwa/ha",
            "Kepadatan penduduk dalam jiwa per hektare. Boleh kosong: dihitung dari \
             jumlah_penduduk / luas_ha.",
            "Population density (kepadatan penduduk), persons per hectare; when empty it \
             is jumlah_penduduk / luas_ha",
        ),
        spec(
            "potensi_sosial_ekonomi",
            false,
            YesNo,
            "ya/tidak",
            "Pertimbangan lain: apakah ada potensi sosial, ekonomi atau budaya setempat?",
            "Other considerations: local social, economic or cultural potential \
             (potensi sosial, ekonomi, budaya)",
        ),
        spec(
            "legalitas_kepemilikan",
            false,
            YesNo,
            "ya/tidak",
            "Legalitas lahan: apakah status penguasaan lahan jelas? Isi bersama \
             kesesuaian_tata_ruang, atau kosongkan keduanya.",
            "Land legality: is land tenure clear (kejelasan status penguasaan lahan)? \
             Fill together with kesesuaian_tata_ruang, or leave both empty",
        ),
        spec(
            "kesesuaian_tata_ruang",
            false,
            YesNo,
            "ya/tidak",
            "Legalitas lahan: apakah penggunaan lahan sesuai rencana tata ruang (RTRW/RDTR)?",
            "Land legality: does the use fit the spatial plan (kesesuaian dengan rencana \
             tata ruang)?",
        ),
    ]);
    out
}

/// Normalises a header for matching: trimmed, lowercase, spaces and hyphens as `_`,
/// without a byte-order mark.
pub(crate) fn normalise_header(header: &str) -> String {
    header
        .trim_start_matches('\u{feff}')
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_follow_the_rule_set() {
        let r2018 = RuleSet::builtin("permen-pupr-14-2018").unwrap();
        let r2016 = RuleSet::builtin("permen-pupr-02-2016").unwrap();
        let names = |r: &RuleSet| -> Vec<String> {
            columns(r)
                .into_iter()
                .filter(|c| c.required)
                .map(|c| c.name)
                .collect()
        };
        let required = names(&r2018).join(", ");
        assert_eq!(
            required,
            "kode_lokasi, nama_lokasi, kode_desa, tahun, luas_ha, jumlah_bangunan, \
             jumlah_penduduk, jumlah_kk, panjang_jalan_ideal_m, panjang_drainase_ideal_m, \
             v1a, v1b, v1c, v2a, v2b, v3a, v3b, v4a, v4b, v4c, v5a, v5b, v6a, v6b, v7a, v7b"
        );
        let extra: Vec<String> = names(&r2016)
            .into_iter()
            .filter(|n| !names(&r2018).contains(n))
            .collect();
        assert_eq!(extra, ["v4d", "v4e", "v6c"]);
        assert_eq!(columns(&r2018).len(), 26 + 5);
    }

    #[test]
    fn headers_match_loosely() {
        assert_eq!(normalise_header("\u{feff} Kode Lokasi "), "kode_lokasi");
        assert_eq!(normalise_header("V1A"), "v1a");
        assert_eq!(normalise_header("luas-ha"), "luas_ha");
    }
}
