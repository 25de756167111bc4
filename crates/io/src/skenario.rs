//! A budget scenario as a workbook: the summary, the chosen works with who pays them,
//! and every location before and after.

use std::io::Write;

use kumuh_domain::skenario::Skenario;
use rust_xlsxwriter::{Format, Workbook, Worksheet};

use crate::laporan::{Error, header, row_index, rp};

/// Writes `s` as XLSX: sheets `Ringkasan`, `Terpilih` and `Per lokasi`.
pub fn skenario_xlsx(s: &Skenario, out: &mut dyn Write) -> Result<(), Error> {
    let money = Format::new().set_num_format("#,##0");
    let ha = Format::new().set_num_format("#,##0.00");
    let mut wb = Workbook::new();

    let sheet = wb.add_worksheet();
    sheet.set_name("Ringkasan").map_err(Error::Xlsx)?;
    header(sheet, &["ukuran", "nilai"])?;
    let text = |sheet: &mut Worksheet, r: u32, c: u16, t: &str| {
        sheet.write_string(r, c, t).map(|_| ()).map_err(Error::Xlsx)
    };
    text(sheet, 1, 0, "anggaran_rp")?;
    rp(sheet, 1, 1, i128::from(s.anggaran_rp), &money)?;
    text(sheet, 2, 0, "biaya_rp")?;
    rp(sheet, 2, 1, i128::from(s.biaya_rp), &money)?;
    text(sheet, 3, 0, "luas_keluar_kumuh_ha")?;
    sheet
        .write_number_with_format(3, 1, s.luas_keluar_kumuh_ha, &ha)
        .map_err(Error::Xlsx)?;
    text(sheet, 4, 0, "penurunan_nilai")?;
    sheet
        .write_number_with_format(4, 1, s.penurunan_nilai, &ha)
        .map_err(Error::Xlsx)?;
    text(sheet, 5, 0, "optimal")?;
    text(sheet, 5, 1, if s.optimal { "ya" } else { "tidak" })?;
    text(sheet, 6, 0, "metode")?;
    text(sheet, 6, 1, &s.metode)?;
    sheet.set_column_width(0, 24.0).map_err(Error::Xlsx)?;
    sheet.set_column_width(1, 60.0).map_err(Error::Xlsx)?;

    let sheet = wb.add_worksheet();
    sheet.set_name("Terpilih").map_err(Error::Xlsx)?;
    header(sheet, &["kegiatan", "biaya_rp", "sumber", "nama"])?;
    for (i, t) in s.rincian.iter().enumerate() {
        let r = row_index(i)?;
        text(sheet, r, 0, t.kegiatan.as_str())?;
        rp(sheet, r, 1, i128::from(t.biaya_rp), &money)?;
        let sumber: Vec<String> = t
            .sumber
            .iter()
            .map(|(src, rp)| format!("{}: {rp}", src.label_id()))
            .collect();
        text(sheet, r, 2, &sumber.join("; "))?;
        text(sheet, r, 3, &t.nama)?;
    }
    sheet.set_column_width(0, 36.0).map_err(Error::Xlsx)?;
    sheet.set_column_width(1, 16.0).map_err(Error::Xlsx)?;
    sheet.set_column_width(2, 48.0).map_err(Error::Xlsx)?;
    sheet.set_column_width(3, 40.0).map_err(Error::Xlsx)?;

    let sheet = wb.add_worksheet();
    sheet.set_name("Per lokasi").map_err(Error::Xlsx)?;
    header(
        sheet,
        &[
            "kode_lokasi",
            "kode_desa",
            "luas_ha",
            "tingkat",
            "kelas_sebelum",
            "kelas_sesudah",
            "total_sebelum",
            "total_sesudah",
            "kegiatan",
            "nama_lokasi",
        ],
    )?;
    for (i, l) in s.per_lokasi.iter().enumerate() {
        let r = row_index(i)?;
        text(sheet, r, 0, &l.kode_lokasi)?;
        text(sheet, r, 1, l.kode_desa.as_str())?;
        sheet
            .write_number_with_format(r, 2, l.luas_ha, &ha)
            .map_err(Error::Xlsx)?;
        let tingkat = serde_json::to_value(l.tingkat)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        text(sheet, r, 3, &tingkat)?;
        text(sheet, r, 4, l.kelas_sebelum.label_id())?;
        text(sheet, r, 5, l.kelas_sesudah.label_id())?;
        for (c, v) in [(6u16, l.total_sebelum), (7, l.total_sesudah)] {
            sheet
                .write_number(r, c, f64::from(v))
                .map_err(Error::Xlsx)?;
        }
        let works: Vec<&str> = l.kegiatan.iter().map(|k| k.as_str()).collect();
        text(sheet, r, 8, &works.join(", "))?;
        text(sheet, r, 9, &l.nama_lokasi)?;
    }
    sheet.set_column_width(0, 20.0).map_err(Error::Xlsx)?;
    sheet.set_column_width(8, 40.0).map_err(Error::Xlsx)?;
    let bytes = wb.save_to_buffer().map_err(Error::Xlsx)?;
    out.write_all(&bytes).map_err(Error::Io)
}

#[cfg(test)]
mod tests {
    use calamine::{Reader, Xlsx};
    use kumuh_domain::Kode;
    use kumuh_domain::assessment::SlumClass;
    use kumuh_domain::skenario::{HasilLokasi, Terpilih, Tingkat, Tujuan};
    use kumuh_domain::works::{KegiatanId, SumberDana};

    use super::*;

    #[test]
    fn the_workbook_opens_with_its_three_sheets_and_the_chosen_work() {
        let id = KegiatanId::new("jalan-b").unwrap();
        let s = Skenario {
            terpilih: vec![id.clone()],
            rincian: vec![Terpilih {
                kegiatan: id.clone(),
                nama: "Jalan RT 02".into(),
                biaya_rp: 50_000_000,
                sumber: [(SumberDana::DanaDesa, 50_000_000)].into(),
            }],
            biaya_rp: 50_000_000,
            anggaran_rp: 60_000_000,
            luas_keluar_kumuh_ha: 5.0,
            penurunan_nilai: 25.0,
            tujuan: Tujuan::LuasKeluarKumuhHa,
            optimal: true,
            metode: "exact".into(),
            cara: Default::default(),
            per_lokasi: vec![HasilLokasi {
                kode_lokasi: "LB".into(),
                nama_lokasi: "Lokasi B".into(),
                kode_desa: Kode::parse("35.19.09.2014").unwrap(),
                luas_ha: 5.0,
                tingkat: Tingkat::Kabupaten,
                kelas_sebelum: SlumClass::KumuhRingan,
                kelas_sesudah: SlumClass::TidakKumuh,
                total_sebelum: 16,
                total_sesudah: 11,
                kegiatan: vec![id],
            }],
            dilewati: vec![],
        };
        let mut bytes = Vec::new();
        skenario_xlsx(&s, &mut bytes).unwrap();
        let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(wb.sheet_names(), ["Ringkasan", "Terpilih", "Per lokasi"]);
        let terpilih = wb.worksheet_range("Terpilih").unwrap();
        assert_eq!(terpilih.get((1, 0)).unwrap().to_string(), "jalan-b");
        assert_eq!(terpilih.get((1, 1)).unwrap().to_string(), "50000000");
        let lokasi = wb.worksheet_range("Per lokasi").unwrap();
        assert_eq!(lokasi.get((1, 5)).unwrap().to_string(), "Tidak kumuh");
        assert_eq!(terpilih.get((1, 3)).unwrap().to_string(), "Jalan RT 02");
        assert_eq!(lokasi.get((1, 9)).unwrap().to_string(), "Lokasi B");
    }
}
