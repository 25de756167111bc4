//! The UPK's writes: KSM, savings, loans, repayments and reversals. Each loads what it
//! changes, authorizes on the record's desa, applies the domain rule, and saves on the
//! version it loaded (or the one the caller named) with its audit line.

use kumuh_domain::upk::{
    JenisKelamin, JenisKsm, Ksm, KsmId, MetodeJasa, Nik, Pembayaran, Penarikan, PersenBulan,
    Pinjaman, PinjamanEntry, PinjamanId, Setoran, SumberBayar, Syarat, Tabungan, TutupAngsuran,
    UpkError,
};
use kumuh_domain::works::{EntryId, Reversal, Rupiah, Tanggal};
use kumuh_domain::{Action, Kode, User};
use kumuh_store::{NewAudit, StoredKsm, StoredPinjaman, UpkWrite, Versi};
use serde_json::{Value, json};

use super::{KsmDetail, PinjamanDetail, detail, hari_ini};
use crate::{AppError, Atlas, Result, authorize};

pub(super) fn may_edit(user: Option<&User>, kode_desa: &Kode) -> Result<User> {
    authorize(
        user,
        &Action::EditUpk {
            kode_desa: kode_desa.clone(),
        },
    )
}

pub(super) fn line(
    user: &User,
    entitas: &str,
    kunci: &str,
    aksi: &str,
    sesudah: Value,
) -> NewAudit {
    NewAudit {
        pengguna: user.username.clone(),
        entitas: entitas.into(),
        kunci: kunci.into(),
        aksi: aksi.into(),
        sebelum: None,
        sesudah: Some(sesudah),
    }
}

/// A member to add to a KSM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnggotaBaru {
    /// Name.
    pub nama: String,
    /// L or P.
    pub jenis_kelamin: JenisKelamin,
    /// The household; the member's own name when not given (a household of one).
    pub rumah_tangga: Option<String>,
    /// The NIK, 16 digits, where known.
    pub nik: Option<String>,
}

/// A new KSM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuatKsm {
    /// The id; made from the desa when not given.
    pub id: Option<String>,
    /// The desa.
    pub kode_desa: Kode,
    /// Name.
    pub nama: String,
    /// What the group does.
    pub jenis: JenisKsm,
    /// The day it was formed (today when not given).
    pub dibentuk: Option<Tanggal>,
    /// Members.
    pub anggota: Vec<AnggotaBaru>,
    /// The group's rules.
    pub aturan_main: Vec<String>,
    /// Illustrative data.
    pub contoh: bool,
}

fn tambah(k: &mut Ksm, a: AnggotaBaru, field: &str) -> Result<()> {
    let nik = a
        .nik
        .as_deref()
        .map(Nik::new)
        .transpose()
        .map_err(|e| AppError::invalid(&format!("{field}.nik"), e.to_string()))?;
    let rumah = a.rumah_tangga.unwrap_or_else(|| a.nama.clone());
    k.tambah_anggota(&a.nama, a.jenis_kelamin, &rumah, nik)?;
    Ok(())
}

/// Creates a KSM with its members (and their NIKs, kept apart).
pub async fn buat_ksm(atlas: &Atlas, user: Option<&User>, cmd: BuatKsm) -> Result<KsmDetail> {
    let who = may_edit(user, &cmd.kode_desa)?;
    crate::places::check_desa(atlas, &cmd.kode_desa, "kode_desa").await?;
    let id = KsmId::new(crate::new_id(cmd.id, "KSM", &cmd.kode_desa)?)?;
    let dibentuk = cmd.dibentuk.map_or_else(hari_ini, Ok)?;
    let mut k = Ksm::new(id, cmd.kode_desa, cmd.nama, cmd.jenis, dibentuk)?;
    k.aturan_main = cmd.aturan_main;
    k.contoh = cmd.contoh;
    for (i, a) in cmd.anggota.into_iter().enumerate() {
        tambah(&mut k, a, &format!("anggota[{i}]"))?;
    }
    let nik = k.daftar_nik();
    let kunci = k.id.as_str().to_owned();
    atlas
        .store
        .save_upk(&UpkWrite {
            ksm: Some(Versi {
                isi: &k,
                versi: None,
            }),
            nik: Some(&nik),
            audit: vec![line(
                &who,
                "ksm",
                &kunci,
                "buat",
                json!({"nama": k.nama, "jumlah_anggota": k.anggota().len()}),
            )],
            ..UpkWrite::default()
        })
        .await?;
    super::ksm(atlas, Some(&who), &kunci).await
}

/// A change of a KSM; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UbahKsm {
    /// The version it was read at; the stored one when not given.
    pub versi: Option<i64>,
    /// New name.
    pub nama: Option<String>,
    /// New kind.
    pub jenis: Option<JenisKsm>,
    /// New rules (replacing the old).
    pub aturan_main: Option<Vec<String>>,
    /// Members to add.
    pub anggota_baru: Vec<AnggotaBaru>,
    /// Members who left: member number and day.
    pub anggota_keluar: Vec<(u32, Tanggal)>,
}

async fn load_ksm(atlas: &Atlas, id: &str) -> Result<StoredKsm> {
    atlas
        .store
        .ksm(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("ksm {id} does not exist")))
}

/// Changes a KSM: name, kind, rules, members joining and leaving.
pub async fn ubah_ksm(
    atlas: &Atlas,
    user: Option<&User>,
    id: &str,
    cmd: UbahKsm,
) -> Result<KsmDetail> {
    let stored = load_ksm(atlas, id).await?;
    let who = may_edit(user, &stored.ksm.kode_desa)?;
    let mut k = stored.ksm.clone();
    if let Some(nik) = atlas.store.ksm_nik(id).await? {
        k.pasang_nik(nik)?;
    }
    let sebelum = json!({"nama": k.nama, "jenis": k.jenis, "aturan_main": k.aturan_main,
                         "jumlah_anggota": k.anggota().len()});
    if let Some(nama) = cmd.nama {
        let nama = nama.trim().to_owned();
        if nama.is_empty() {
            return Err(AppError::invalid("nama", "a group needs a name"));
        }
        k.nama = nama;
    }
    if let Some(jenis) = cmd.jenis {
        k.jenis = jenis;
    }
    if let Some(aturan) = cmd.aturan_main {
        k.aturan_main = aturan;
    }
    for (i, a) in cmd.anggota_baru.into_iter().enumerate() {
        tambah(&mut k, a, &format!("anggota_baru[{i}]"))?;
    }
    for (no, tanggal) in cmd.anggota_keluar {
        k.anggota_keluar(no, tanggal)?;
    }
    let nik = k.daftar_nik();
    let mut audit = line(
        &who,
        "ksm",
        id,
        "ubah",
        json!({"nama": k.nama, "jenis": k.jenis, "aturan_main": k.aturan_main,
               "jumlah_anggota": k.anggota().len()}),
    );
    audit.sebelum = Some(sebelum);
    atlas
        .store
        .save_upk(&UpkWrite {
            ksm: Some(Versi {
                isi: &k,
                versi: Some(cmd.versi.unwrap_or(stored.versi)),
            }),
            nik: Some(&nik),
            audit: vec![audit],
            ..UpkWrite::default()
        })
        .await?;
    super::ksm(atlas, Some(&who), id).await
}

/// A deposit into or a withdrawal from a group's savings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JenisTabungan {
    /// A deposit (setoran).
    Setoran,
    /// A withdrawal (penarikan), with a reason.
    Penarikan,
}

/// An entry for a group's savings book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatatTabungan {
    /// Deposit or withdrawal.
    pub jenis: JenisTabungan,
    /// The day.
    pub tanggal: Tanggal,
    /// The amount.
    pub jumlah_rp: Rupiah,
    /// Why the money goes out (required for a withdrawal).
    pub alasan: Option<String>,
    /// The member who paid in, where recorded.
    pub anggota: Option<String>,
    /// Notes.
    pub keterangan: Option<String>,
    /// The version of the savings book it was read at.
    pub versi: Option<i64>,
}

/// Records a deposit or withdrawal in a group's savings.
pub async fn catat_tabungan(
    atlas: &Atlas,
    user: Option<&User>,
    ksm: &str,
    cmd: CatatTabungan,
) -> Result<KsmDetail> {
    let k = load_ksm(atlas, ksm).await?;
    let who = may_edit(user, &k.ksm.kode_desa)?;
    let stored = atlas.store.tabungan(ksm).await?;
    let mut tab = stored
        .as_ref()
        .map_or_else(|| Tabungan::new(k.ksm.id.clone()), |s| s.tabungan.clone());
    let (aksi, entri) = match cmd.jenis {
        JenisTabungan::Setoran => (
            "setoran",
            tab.setor(Setoran {
                tanggal: cmd.tanggal,
                jumlah_rp: cmd.jumlah_rp,
                anggota: cmd.anggota,
                keterangan: cmd.keterangan,
            })?,
        ),
        JenisTabungan::Penarikan => (
            "penarikan",
            tab.tarik(Penarikan {
                tanggal: cmd.tanggal,
                jumlah_rp: cmd.jumlah_rp,
                alasan: cmd.alasan.unwrap_or_default(),
            })?,
        ),
    };
    let versi = match (&stored, cmd.versi) {
        (_, Some(v)) => Some(v),
        (Some(s), None) => Some(s.versi),
        (None, None) => None,
    };
    atlas
        .store
        .save_upk(&UpkWrite {
            tabungan: Some((Versi { isi: &tab, versi }, &k.ksm.kode_desa)),
            audit: vec![line(
                &who,
                "tabungan",
                ksm,
                aksi,
                json!({"entri": entri.0, "tanggal": cmd.tanggal, "jumlah_rp": cmd.jumlah_rp,
                       "saldo_rp": tab.saldo()?}),
            )],
            ..UpkWrite::default()
        })
        .await?;
    super::ksm(atlas, Some(&who), ksm).await
}

/// A new loan to a KSM.
#[derive(Debug, Clone, PartialEq)]
pub struct BuatPinjaman {
    /// The id; made from the desa when not given.
    pub id: Option<String>,
    /// The borrowing KSM.
    pub ksm: String,
    /// Principal.
    pub pokok_rp: Rupiah,
    /// Term, months.
    pub jangka_bulan: u16,
    /// Service per month, percent with at most two decimals.
    pub jasa_persen_bulan: f64,
    /// Flat (default) or declining balance.
    pub metode_jasa: MetodeJasa,
    /// The day of the application (the disbursement day, or today, when not given).
    pub tanggal_pengajuan: Option<Tanggal>,
    /// The day of disbursement: given, the loan is recorded approved and disbursed.
    pub tanggal_cair: Option<Tanggal>,
    /// What the money is for.
    pub tujuan: Option<String>,
    /// Illustrative data.
    pub contoh: bool,
}

/// Records a loan application, or with `tanggal_cair` a loan already disbursed (approved
/// by the recording user on that day).
pub async fn buat_pinjaman(
    atlas: &Atlas,
    user: Option<&User>,
    cmd: BuatPinjaman,
) -> Result<PinjamanDetail> {
    let k = atlas
        .store
        .ksm(&cmd.ksm)
        .await?
        .ok_or_else(|| AppError::invalid("ksm", format!("there is no ksm {}", cmd.ksm)))?;
    let who = may_edit(user, &k.ksm.kode_desa)?;
    let id = PinjamanId::new(crate::new_id(cmd.id, "P", &k.ksm.kode_desa)?)?;
    let syarat = Syarat {
        pokok_rp: cmd.pokok_rp,
        jangka_bulan: cmd.jangka_bulan,
        jasa_persen_bulan: PersenBulan::from_percent(cmd.jasa_persen_bulan)?,
        metode_jasa: cmd.metode_jasa,
    };
    let pengajuan = match (cmd.tanggal_pengajuan, cmd.tanggal_cair) {
        (Some(t), _) | (None, Some(t)) => t,
        (None, None) => hari_ini()?,
    };
    let mut p = Pinjaman::ajukan(
        id,
        k.ksm.id.clone(),
        k.ksm.kode_desa.clone(),
        pengajuan,
        syarat,
    )?;
    p.tujuan = cmd.tujuan;
    p.contoh = cmd.contoh;
    if let Some(cair) = cmd.tanggal_cair {
        p.setujui(cair, &who.username, None)?;
        p.cairkan(cair)?;
    }
    let kunci = p.id.as_str().to_owned();
    let v = atlas
        .store
        .save_upk(&UpkWrite {
            pinjaman: Some(Versi {
                isi: &p,
                versi: None,
            }),
            audit: vec![line(
                &who,
                "pinjaman",
                &kunci,
                "buat",
                json!({"ksm": p.ksm, "syarat": p.syarat(), "tanggal_cair": p.tanggal_cair()}),
            )],
            ..UpkWrite::default()
        })
        .await?;
    detail(
        &atlas.kolektibilitas,
        &p,
        v.pinjaman.unwrap_or(1),
        p.tanggal_cair().map_or_else(hari_ini, Ok)?,
    )
}

/// What one change of a loan records: the audit action, what it logs, and the day the
/// answer's standing is taken on.
pub(super) type Ubahan = (&'static str, Value, Tanggal);

/// Loads loan `id`, checks that `user` may write for its desa, applies `change` and saves
/// the loan on version `versi` (the loaded one when not given) with its audit line;
/// answers the loan standing on the day `change` names.
pub(super) async fn ubah_pinjaman(
    atlas: &Atlas,
    user: Option<&User>,
    id: &str,
    versi: Option<i64>,
    change: impl FnOnce(&mut Pinjaman, &User) -> Result<Ubahan>,
) -> Result<PinjamanDetail> {
    let stored = load_pinjaman(atlas, id).await?;
    let who = may_edit(user, &stored.pinjaman.kode_desa)?;
    let mut p = stored.pinjaman.clone();
    let (aksi, sesudah, per) = change(&mut p, &who)?;
    let audit = line(&who, "pinjaman", id, aksi, sesudah);
    save_pinjaman(atlas, &p, versi.unwrap_or(stored.versi), audit, per).await
}

pub(super) async fn load_pinjaman(atlas: &Atlas, id: &str) -> Result<StoredPinjaman> {
    atlas
        .store
        .pinjaman(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("pinjaman {id} does not exist")))
}

pub(super) async fn save_pinjaman(
    atlas: &Atlas,
    p: &Pinjaman,
    versi: i64,
    audit: NewAudit,
    per: Tanggal,
) -> Result<PinjamanDetail> {
    let v = atlas
        .store
        .save_upk(&UpkWrite {
            pinjaman: Some(Versi {
                isi: p,
                versi: Some(versi),
            }),
            audit: vec![audit],
            ..UpkWrite::default()
        })
        .await?;
    detail(
        &atlas.kolektibilitas,
        p,
        v.pinjaman.unwrap_or(versi + 1),
        per,
    )
}

/// Records a repayment; answers the loan standing on the repayment's day.
///
/// A repayment from [`SumberBayar::TabunganTanggungRenteng`] is also taken out of the
/// group's savings as a use to cover an instalment, with `alasan`, in the same
/// transaction: both books change or neither does. It is refused when the savings
/// hold less than the amount.
pub async fn angsuran(
    atlas: &Atlas,
    user: Option<&User>,
    id: &str,
    bayar: Pembayaran,
    alasan: Option<String>,
    versi: Option<i64>,
) -> Result<PinjamanDetail> {
    let stored = load_pinjaman(atlas, id).await?;
    let who = may_edit(user, &stored.pinjaman.kode_desa)?;
    let mut p = stored.pinjaman.clone();
    let tanggal = bayar.tanggal;
    let (jumlah_rp, sumber) = (bayar.jumlah_rp, bayar.sumber);
    let sesudah = json!({"tanggal": bayar.tanggal, "jumlah_rp": bayar.jumlah_rp,
                         "sumber": bayar.sumber});
    let entri = p.bayar(bayar)?;
    let mut audit = line(&who, "pinjaman", id, "angsuran", sesudah);
    if let Some(s) = audit.sesudah.as_mut() {
        s["entri"] = json!(entri.0);
    }
    let versi = versi.unwrap_or(stored.versi);
    if sumber != SumberBayar::TabunganTanggungRenteng {
        return save_pinjaman(atlas, &p, versi, audit, tanggal).await;
    }
    let alasan = alasan.map(|a| a.trim().to_owned()).unwrap_or_default();
    if alasan.is_empty() {
        return Err(AppError::invalid(
            "alasan",
            "say why the group's savings cover this instalment",
        ));
    }
    let tab_stored = atlas.store.tabungan(p.ksm.as_str()).await?;
    let mut tab = tab_stored
        .as_ref()
        .map_or_else(|| Tabungan::new(p.ksm.clone()), |s| s.tabungan.clone());
    let tutup = tab
        .tutup_angsuran(TutupAngsuran {
            tanggal,
            jumlah_rp,
            pinjaman: p.id.clone(),
            alasan: alasan.clone(),
        })
        .map_err(|e| match e {
            UpkError::InsufficientBalance { .. } => AppError::invalid("jumlah_rp", e.to_string()),
            other => other.into(),
        })?;
    let saldo = tab.saldo()?;
    let v = atlas
        .store
        .save_upk(&UpkWrite {
            tabungan: Some((
                Versi {
                    isi: &tab,
                    versi: tab_stored.as_ref().map(|s| s.versi),
                },
                &p.kode_desa,
            )),
            pinjaman: Some(Versi {
                isi: &p,
                versi: Some(versi),
            }),
            audit: vec![
                audit,
                line(
                    &who,
                    "tabungan",
                    p.ksm.as_str(),
                    "tutup_angsuran",
                    json!({"entri": tutup.0, "pinjaman": id, "tanggal": tanggal,
                           "jumlah_rp": jumlah_rp, "alasan": alasan, "saldo_rp": saldo}),
                ),
            ],
            ..UpkWrite::default()
        })
        .await?;
    detail(
        &atlas.kolektibilitas,
        &p,
        v.pinjaman.unwrap_or(versi + 1),
        tanggal,
    )
}

/// Reverses a repayment (the latest live one when `entri` is not given), with the
/// reason; the entry stays in the book.
pub async fn batal_angsuran(
    atlas: &Atlas,
    user: Option<&User>,
    id: &str,
    entri: Option<EntryId>,
    alasan: &str,
    versi: Option<i64>,
) -> Result<PinjamanDetail> {
    let stored = load_pinjaman(atlas, id).await?;
    let who = may_edit(user, &stored.pinjaman.kode_desa)?;
    if alasan.trim().is_empty() {
        return Err(AppError::invalid("alasan", "say why the entry is reversed"));
    }
    let mut p = stored.pinjaman.clone();
    let of = match entri {
        Some(e) => e,
        None => p
            .buku()
            .live()
            .filter(|e| matches!(e.isi, PinjamanEntry::Pembayaran(_)))
            .map(|e| e.id)
            .last()
            .ok_or_else(|| {
                AppError::invalid(
                    "entri",
                    format!("pinjaman {id} has no repayment to reverse"),
                )
            })?,
    };
    p.batalkan(Reversal::new(of, alasan.trim()))?;
    let audit = line(
        &who,
        "pinjaman",
        id,
        "batal",
        json!({"entri": of.0, "alasan": alasan.trim()}),
    );
    save_pinjaman(atlas, &p, versi.unwrap_or(stored.versi), audit, hari_ini()?).await
}

/// The source of a repayment as the API reads it.
pub fn sumber_bayar(s: Option<&str>) -> Result<SumberBayar> {
    match s {
        None | Some("angsuran") => Ok(SumberBayar::Angsuran),
        Some("tabungan_tanggung_renteng") => Ok(SumberBayar::TabunganTanggungRenteng),
        Some("penagihan") => Ok(SumberBayar::Penagihan),
        Some(other) => Err(AppError::invalid(
            "sumber",
            format!(
                "unknown source `{other}`: expected angsuran, tabungan_tanggung_renteng or penagihan"
            ),
        )),
    }
}
