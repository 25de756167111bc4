//! The UPK's net profit spent on the desa's works (laba bersih UPK untuk kegiatan).
//!
//! The money is recorded once: as an allocation with source [`SumberDana::Upk`] on the
//! segment it pays for, in that work's funding ledger. The UPK's books do not keep a
//! second copy; they read the allocations back from the works ([`laba_ke_segmen`]), so
//! the two can never disagree, and a reversal on the segment leaves both at once.

use serde::{Deserialize, Serialize};

use crate::Kode;
use crate::works::{Amount, AmountSum, EntryId, Kegiatan, SumberDana, Tanggal};

/// One allocation of the UPK's net profit to a segment of a work, as the UPK's books
/// show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabaKeSegmen {
    /// The work (kegiatan) id.
    pub kegiatan: String,
    /// The work's name.
    pub nama_kegiatan: String,
    /// The desa of the work.
    pub kode_desa: Kode,
    /// The segment id within the work.
    pub segmen: String,
    /// The allocation's entry in the segment's ledger.
    pub entri: EntryId,
    /// Budget year, where recorded.
    pub tahun_anggaran: Option<u16>,
    /// The amount, or unknown.
    pub jumlah: Amount,
    /// Date of the commitment, where recorded.
    pub tanggal: Option<Tanggal>,
    /// Description.
    pub uraian: Option<String>,
}

/// Every live allocation of UPK net profit in `kegiatan`, in the order of the works,
/// their segments and ledgers, with the sum of the known amounts and the count of
/// unknown ones. A reversed allocation is left out: it was never given.
///
/// # Examples
/// ```
/// use kumuh_domain::upk::laba_ke_segmen;
/// use kumuh_domain::works::contoh;
/// // The seeded work is paid by APBD and swadaya only.
/// let (baris, total) = laba_ke_segmen([&contoh::bibrik_paving()]).unwrap();
/// assert!(baris.is_empty());
/// assert_eq!(total.diketahui_rp.get(), 0);
/// ```
pub fn laba_ke_segmen<'a>(
    kegiatan: impl IntoIterator<Item = &'a Kegiatan>,
) -> crate::works::Result<(Vec<LabaKeSegmen>, AmountSum)> {
    let mut out = Vec::new();
    for k in kegiatan {
        for s in k.segmen() {
            for (entri, a) in s.live_alokasi() {
                if a.sumber != SumberDana::Upk {
                    continue;
                }
                out.push(LabaKeSegmen {
                    kegiatan: k.id().as_str().to_owned(),
                    nama_kegiatan: k.nama.clone(),
                    kode_desa: k.kode_desa().clone(),
                    segmen: s.id().as_str().to_owned(),
                    entri,
                    tahun_anggaran: a.tahun_anggaran,
                    jumlah: a.jumlah,
                    tanggal: a.tanggal,
                    uraian: a.uraian.clone(),
                });
            }
        }
    }
    let total = AmountSum::of(out.iter().map(|l| l.jumlah))?;
    Ok((out, total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::works::{Alokasi, Reversal, Rupiah, SegmenId, contoh};

    #[test]
    fn profit_given_to_a_segment_shows_in_the_upk_books_once_and_leaves_on_reversal() {
        let mut k = contoh::bibrik_paving();
        let s1 = SegmenId::new("S1").unwrap();
        let rp = |n| Amount::Known(Rupiah::from_u32(n));
        let seg = k.segmen_mut(&s1).unwrap();
        let given = seg
            .allocate(Alokasi::tunai(SumberDana::Upk, Some(2018), rp(2_500_000)))
            .unwrap();
        seg.allocate(Alokasi::tunai(SumberDana::Upk, Some(2018), Amount::Unknown))
            .unwrap();

        let (baris, total) = laba_ke_segmen([&k]).unwrap();
        assert_eq!(baris.len(), 2);
        assert_eq!(baris[0].entri, given);
        assert_eq!(baris[0].segmen, "S1");
        assert_eq!(baris[0].jumlah, rp(2_500_000));
        assert_eq!(
            (total.diketahui_rp.get(), total.tidak_diketahui),
            (2_500_000, 1)
        );
        // The work's own funding counts the same allocation under the same source.
        let summary = k.summary().unwrap();
        let upk = summary.segmen[0]
            .per_sumber
            .iter()
            .find(|l| l.sumber == SumberDana::Upk)
            .expect("upk is a source of the segment");
        assert_eq!(upk.alokasi.diketahui_rp.get(), 2_500_000);

        k.segmen_mut(&s1)
            .unwrap()
            .reverse(Reversal::new(given, "salah catat"))
            .unwrap();
        let (baris, total) = laba_ke_segmen([&k]).unwrap();
        assert_eq!(baris.len(), 1);
        assert_eq!((total.diketahui_rp.get(), total.tidak_diketahui), (0, 1));
    }
}
