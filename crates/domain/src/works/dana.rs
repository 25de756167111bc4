//! Funding (pendanaan): where the money for a segment comes from, what was spent, and
//! how far the physical work got.
//!
//! A segment's funding is a ledger of [`SegmenEntry`]s: allocations (alokasi), spending
//! (realisasi), physical progress (progres) and reversals. One segment is often paid by
//! several sources, and one budget line often pays several segments; the latter is
//! entered as one allocation per segment, each citing the same document.

use serde::{Deserialize, Serialize};

use super::ledger::{EntryId, LedgerEntry, Reversal};
use super::money::{Amount, Rupiah};
use super::segmen::Volume;
use super::tanggal::Tanggal;

define_code! {
    /// A source of funds (sumber dana); `ALL` lists them in the order reports do, and the
    /// code is the stable id used in files, URLs and tables.
    pub enum SumberDana {
        /// State budget, e.g. the programme's BPM community grants.
        Apbn = "apbn",
        /// Provincial budget.
        ApbdProvinsi = "apbd_provinsi",
        /// District (kabupaten/kota) budget, e.g. through Dinas PKP.
        ApbdKabupaten = "apbd_kabupaten",
        /// Village fund, spent through the village budget (APBDes).
        DanaDesa = "dana_desa",
        /// The community's own contribution (swadaya masyarakat), in cash or in kind.
        Swadaya = "swadaya",
        /// Companies' social responsibility funds and other private money.
        Csr = "csr",
        /// The net profit (laba bersih) of the desa's UPK, the LKM's revolving-loan unit,
        /// set aside for the desa's works. Recorded once, as an allocation on the segment
        /// it pays for; the UPK's books read it from there (`upk::laba`).
        Upk = "upk",
        /// Any other donor.
        Lainnya = "lainnya",
    }
    from_str: SumberDana::read => UnknownSumberDana;
}

impl SumberDana {
    /// A label for people, in Bahasa Indonesia.
    pub fn label_id(self) -> &'static str {
        match self {
            SumberDana::Apbn => "APBN",
            SumberDana::ApbdProvinsi => "APBD Provinsi",
            SumberDana::ApbdKabupaten => "APBD Kabupaten/Kota",
            SumberDana::DanaDesa => "Dana Desa",
            SumberDana::Swadaya => "Swadaya masyarakat",
            SumberDana::Csr => "CSR/swasta",
            SumberDana::Upk => "Laba bersih UPK",
            SumberDana::Lainnya => "Lainnya",
        }
    }

    /// Reads an id; labels and their usual spellings (`APBD Kabupaten`, `DD`, `CSR`)
    /// are accepted too, matched without case, spaces, dots or slashes. This is what
    /// `FromStr` does; JSON takes the ids only.
    fn read(s: &str) -> Result<SumberDana, UnknownSumberDana> {
        let key: String = s
            .chars()
            .filter(|c| !matches!(c, ' ' | '_' | '-' | '.' | '/'))
            .flat_map(char::to_lowercase)
            .collect();
        match key.as_str() {
            "apbn" => Ok(SumberDana::Apbn),
            "apbdprovinsi" | "apbdprov" | "apbdi" => Ok(SumberDana::ApbdProvinsi),
            "apbdkabupaten" | "apbdkab" | "apbdkabupatenkota" | "apbdkota" | "apbdii" => {
                Ok(SumberDana::ApbdKabupaten)
            }
            "danadesa" | "dd" => Ok(SumberDana::DanaDesa),
            "swadaya" | "swadayamasyarakat" => Ok(SumberDana::Swadaya),
            "csr" | "swasta" | "csrswasta" => Ok(SumberDana::Csr),
            "upk" | "lababersihupk" | "labaupk" => Ok(SumberDana::Upk),
            "lainnya" | "lain" => Ok(SumberDana::Lainnya),
            _ => Err(UnknownSumberDana(s.trim().to_owned())),
        }
    }
}

/// A source id that is not one of [`SumberDana::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown funding source `{0}`: expected one of apbn, apbd_provinsi, apbd_kabupaten, dana_desa, swadaya, csr, upk, lainnya"
)]
pub struct UnknownSumberDana(pub String);

define_code! {
    /// The form a contribution takes: cash, or in kind (natura) valued in rupiah.
    pub enum Bentuk {
        /// Money.
        Tunai = "tunai",
        /// Labour (tenaga, gotong royong), valued at local wages.
        Tenaga = "tenaga",
        /// Materials given (sand, cement, paving blocks).
        Material = "material",
        /// Labour and materials together.
        TenagaDanMaterial = "tenaga_dan_material",
        /// Any other contribution in kind (land, use of tools).
        NaturaLainnya = "natura_lainnya",
    }
}

impl Bentuk {
    /// Whether this is a contribution in kind, whose amount is a valuation.
    pub fn is_in_kind(self) -> bool {
        !matches!(self, Bentuk::Tunai)
    }
}

define_code! {
    /// The kind of document that commits the money.
    pub enum JenisDokumen {
        /// Dokumen Pelaksanaan Anggaran: an agency's budget execution document (APBN/APBD).
        Dpa = "dpa",
        /// The village budget (Anggaran Pendapatan dan Belanja Desa).
        Apbdes = "apbdes",
        /// An agreement (perjanjian kerja sama, SPK, grant agreement).
        Perjanjian = "perjanjian",
        /// Minutes of a residents' meeting (berita acara), typical for swadaya.
        BeritaAcara = "berita_acara",
        /// Anything else.
        Lainnya = "lainnya",
    }
}

/// A reference to the document behind an allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dokumen {
    /// What kind of document.
    pub jenis: JenisDokumen,
    /// Its number, where known.
    pub nomor: Option<String>,
}

/// Money (or an in-kind valuation) committed to a segment by one source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alokasi {
    /// Where the money comes from.
    pub sumber: SumberDana,
    /// Fiscal year of the budget line, where known.
    pub tahun_anggaran: Option<u16>,
    /// The amount in rupiah, or unknown.
    pub jumlah: Amount,
    /// Cash or in kind.
    pub bentuk: Bentuk,
    /// The document behind it.
    pub dokumen: Option<Dokumen>,
    /// Date of the commitment, where known.
    pub tanggal: Option<Tanggal>,
    /// Free description.
    pub uraian: Option<String>,
}

impl Alokasi {
    /// A cash allocation with only the essentials filled in.
    pub fn tunai(sumber: SumberDana, tahun_anggaran: Option<u16>, jumlah: Amount) -> Alokasi {
        Alokasi {
            sumber,
            tahun_anggaran,
            jumlah,
            bentuk: Bentuk::Tunai,
            dokumen: None,
            tanggal: None,
            uraian: None,
        }
    }
}

/// An explicit permission to go beyond a limit (spending beyond an allocation, progress
/// beyond the planned volume), with the reason recorded beside the entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Override {
    /// Why the limit is exceeded, e.g. "addendum kontrak no. 2".
    pub alasan: String,
    /// Who approved it, where known.
    pub oleh: Option<String>,
}

impl Override {
    /// An override with a reason.
    pub fn new(alasan: impl Into<String>) -> Override {
        Override {
            alasan: alasan.into(),
            oleh: None,
        }
    }
}

/// Money spent (realisasi) against one allocation of the same segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Realisasi {
    /// The allocation it is paid from.
    pub alokasi: EntryId,
    /// The amount spent, in rupiah; spending is always a known amount.
    pub jumlah: Rupiah,
    /// When it was spent.
    pub tanggal: Tanggal,
    /// Free description.
    pub uraian: Option<String>,
    /// Receipt or payment order reference (kuitansi, SP2D).
    pub bukti: Option<String>,
    /// Present when this spending takes the allocation beyond its amount.
    pub izin_lebih: Option<Override>,
}

impl Realisasi {
    /// Spending with only the essentials filled in.
    pub fn new(alokasi: EntryId, jumlah: Rupiah, tanggal: Tanggal) -> Realisasi {
        Realisasi {
            alokasi,
            jumlah,
            tanggal,
            uraian: None,
            bukti: None,
            izin_lebih: None,
        }
    }
}

/// Physical progress: a volume realised, in the segment's unit, measured on a date. The
/// segment's realised volume is the sum of its live progress entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progres {
    /// Volume realised by this entry, in the segment's unit.
    pub volume: Volume,
    /// When it was measured.
    pub tanggal: Tanggal,
    /// Free description.
    pub uraian: Option<String>,
    /// Present when this entry takes realised volume beyond the planned volume.
    pub izin_lebih: Option<Override>,
}

impl Progres {
    /// Progress with only the essentials filled in.
    pub fn new(volume: Volume, tanggal: Tanggal) -> Progres {
        Progres {
            volume,
            tanggal,
            uraian: None,
            izin_lebih: None,
        }
    }
}

/// One entry of a segment's ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "jenis", rename_all = "snake_case")]
pub enum SegmenEntry {
    /// Money committed.
    Alokasi(Alokasi),
    /// Money spent.
    Realisasi(Realisasi),
    /// Volume built.
    Progres(Progres),
    /// An earlier entry undone.
    Reversal(Reversal),
}

impl LedgerEntry for SegmenEntry {
    fn as_reversal(&self) -> Option<&Reversal> {
        match self {
            SegmenEntry::Reversal(r) => Some(r),
            _ => None,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            SegmenEntry::Alokasi(_) => "an allocation (alokasi)",
            SegmenEntry::Realisasi(_) => "spending (realisasi)",
            SegmenEntry::Progres(_) => "progress (progres)",
            SegmenEntry::Reversal(_) => "a reversal",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_have_stable_ids_and_read_common_spellings() {
        for s in SumberDana::ALL {
            assert_eq!(s.as_str().parse::<SumberDana>().unwrap(), s);
            assert_eq!(s.label_id().parse::<SumberDana>().unwrap(), s);
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
        }
        let cases = [
            ("APBD Kabupaten", SumberDana::ApbdKabupaten),
            ("APBD Kab.", SumberDana::ApbdKabupaten),
            ("APBD II", SumberDana::ApbdKabupaten),
            ("DD", SumberDana::DanaDesa),
            ("Swadaya Masyarakat", SumberDana::Swadaya),
            ("CSR / swasta", SumberDana::Csr),
            ("Laba UPK", SumberDana::Upk),
        ];
        for (text, want) in cases {
            assert_eq!(text.parse::<SumberDana>().unwrap(), want, "{text}");
        }
        let e = "hibah".parse::<SumberDana>().unwrap_err();
        assert!(e.to_string().contains("`hibah`"), "{e}");
    }

    #[test]
    fn entries_serialise_with_their_kind() {
        let a = SegmenEntry::Alokasi(Alokasi::tunai(SumberDana::DanaDesa, None, Amount::Unknown));
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["jenis"], "alokasi");
        assert_eq!(json["sumber"], "dana_desa");
        assert!(json["jumlah"].is_null());
        let back: SegmenEntry = serde_json::from_value(json).unwrap();
        assert_eq!(back, a);
    }
}
