//! The GeoPackage schema and its migrations.
//!
//! Each migration is a list of steps applied in one transaction and recorded in
//! `kumuh_migrations`. Feature tables are created through [`FeatureTable`], which also
//! registers them in `gpkg_contents` and `gpkg_geometry_columns` and adds the R-tree
//! index with the standard triggers, so every spatial table is a real GeoPackage layer
//! with an index that stays correct on every insert, update and delete.

use sqlx::{AssertSqlSafe, SqliteConnection};

use crate::error::{DbContext, Result};

/// `application_id` of a GeoPackage: the ASCII bytes `GPKG`.
pub(crate) const GPKG_APPLICATION_ID: i32 = 0x4750_4B47;
/// `user_version` for GeoPackage 1.3.0.
pub(crate) const GPKG_USER_VERSION: i32 = 10300;

/// A GeoPackage feature table: `fid`, a geometry column `geom`, and its own columns.
#[derive(Debug)]
pub(crate) struct FeatureTable {
    pub name: &'static str,
    pub description: &'static str,
    pub geometry_type: &'static str,
    pub columns: &'static str,
}

/// A non-spatial table, registered in `gpkg_contents` as `attributes`.
#[derive(Debug)]
pub(crate) struct AttributesTable {
    pub name: &'static str,
    pub description: &'static str,
    pub create: &'static str,
}

/// Triggers that record every insert, update and delete of a table's rows in
/// `kumuh_perubahan` as (`layer`, the row's `key` column).
#[derive(Debug)]
pub(crate) struct ChangeFeed {
    pub table: &'static str,
    pub layer: &'static str,
    pub key: &'static str,
}

#[derive(Debug)]
pub(crate) enum Step {
    Sql(&'static str),
    Features(FeatureTable),
    Attributes(AttributesTable),
    ChangeFeed(ChangeFeed),
}

#[derive(Debug)]
pub(crate) struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub steps: &'static [Step],
}

const PLACE_COLUMNS: &str = "kode TEXT NOT NULL UNIQUE,
    kode_induk TEXT,
    kode_bps TEXT,
    nama TEXT NOT NULL,
    nama_alt TEXT NOT NULL DEFAULT '[]',
    luas_ha REAL,
    kunci_cari TEXT NOT NULL,
    atribut TEXT NOT NULL DEFAULT '{}'";

const fn place_table(name: &'static str, description: &'static str) -> Step {
    Step::Features(FeatureTable {
        name,
        description,
        geometry_type: "MULTIPOLYGON",
        columns: PLACE_COLUMNS,
    })
}

/// The trigger that keeps audit lines from being deleted (a whole-atlas copy lifts it
/// inside its transaction to replace the log).
pub(crate) const AUDIT_NO_DELETE: &str =
    "CREATE TRIGGER kumuh_audit_no_delete BEFORE DELETE ON kumuh_audit
                 BEGIN SELECT RAISE(ABORT, 'kumuh_audit is append-only'); END";

/// The triggers that refuse deleting book entries and collection records; also lifted
/// and put back by a copy that replaces an atlas.
pub(crate) const UPK_NO_DELETE: [&str; 2] = [
    "CREATE TRIGGER upk_buku_no_delete BEFORE DELETE ON upk_buku
                 BEGIN SELECT RAISE(ABORT, 'upk_buku is append-only'); END",
    "CREATE TRIGGER upk_penagihan_no_delete BEFORE DELETE ON upk_penagihan
                 BEGIN SELECT RAISE(ABORT, 'upk_penagihan is append-only'); END",
];

/// Every migration, oldest first. Never edit one that has shipped: add a new one.
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "geopackage core, places, slum locations, users",
        steps: &[
            Step::Sql(GPKG_CORE),
            Step::Attributes(AttributesTable {
                name: "kumuh_migrations",
                description: "Kumuh schema migrations applied to this file",
                create: "CREATE TABLE kumuh_migrations (
                version INTEGER PRIMARY KEY NOT NULL,
                name TEXT NOT NULL,
                applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))",
            }),
            place_table("provinsi", "Provinsi (provinces)"),
            place_table("kabupaten", "Kabupaten/kota (districts)"),
            place_table("kecamatan", "Kecamatan (sub-districts)"),
            place_table("desa", "Desa/kelurahan (villages)"),
            place_table("rw", "Rukun warga (neighbourhoods)"),
            place_table("rt", "Rukun tetangga (blocks)"),
            Step::Sql("CREATE INDEX desa_kode_induk ON desa(kode_induk)"),
            Step::Sql("CREATE INDEX kecamatan_kode_induk ON kecamatan(kode_induk)"),
            Step::Sql("CREATE INDEX rw_kode_induk ON rw(kode_induk)"),
            Step::Sql("CREATE INDEX rt_kode_induk ON rt(kode_induk)"),
            Step::Features(FeatureTable {
                name: "lokasi_kumuh",
                description: "Lokasi kumuh (delineated slum locations)",
                geometry_type: "MULTIPOLYGON",
                columns: "kode TEXT NOT NULL UNIQUE,
                nama TEXT NOT NULL,
                kode_desa TEXT NOT NULL,
                kawasan TEXT,
                rt TEXT NOT NULL DEFAULT '[]',
                sk_nomor TEXT,
                sk_tanggal TEXT,
                luas_ha REAL,
                atribut TEXT NOT NULL DEFAULT '{}'",
            }),
            Step::Sql("CREATE INDEX lokasi_kumuh_kode_desa ON lokasi_kumuh(kode_desa)"),
            Step::Attributes(AttributesTable {
                name: "kumuh_users",
                description: "Kumuh users and roles (passwords as argon2id hashes)",
                create: "CREATE TABLE kumuh_users (
                fid INTEGER PRIMARY KEY AUTOINCREMENT,
                username TEXT NOT NULL UNIQUE,
                password_hash TEXT NOT NULL,
                role TEXT NOT NULL,
                created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))",
            }),
            Step::Attributes(AttributesTable {
                name: "kumuh_tokens",
                description: "Kumuh API tokens (SHA-256 hashes, never the tokens)",
                create: "CREATE TABLE kumuh_tokens (
                fid INTEGER PRIMARY KEY AUTOINCREMENT,
                token_hash TEXT NOT NULL UNIQUE,
                username TEXT NOT NULL REFERENCES kumuh_users(username) ON DELETE CASCADE,
                expires_unix INTEGER NOT NULL,
                created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))",
            }),
        ],
    },
    Migration {
        version: 2,
        name: "slum assessments per location and year",
        steps: &[
            Step::Attributes(AttributesTable {
                name: "penilaian",
                description: "Penilaian kumuh: slum assessments per location and year, with the rule set that computed them",
                create: "CREATE TABLE penilaian (
                fid INTEGER PRIMARY KEY AUTOINCREMENT,
                kode_lokasi TEXT NOT NULL,
                nama_lokasi TEXT NOT NULL,
                kode_desa TEXT NOT NULL,
                tahun INTEGER NOT NULL,
                aturan TEXT NOT NULL,
                versi_aturan TEXT NOT NULL,
                luas_ha REAL NOT NULL,
                total INTEGER NOT NULL,
                kelas TEXT NOT NULL,
                prioritas TEXT,
                hasil TEXT NOT NULL,
                dicatat TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
                UNIQUE (kode_lokasi, tahun))",
            }),
            Step::Sql("CREATE INDEX penilaian_kode_desa ON penilaian(kode_desa, tahun)"),
        ],
    },
    Migration {
        version: 3,
        name: "road and drainage lines with their condition",
        steps: &[Step::Features(FeatureTable {
            name: "jaringan",
            description: "Jaringan jalan dan drainase lingkungan (neighbourhood roads and drains) with condition",
            geometry_type: "MULTILINESTRING",
            columns: "kode TEXT NOT NULL UNIQUE,
                jenis TEXT NOT NULL,
                kondisi TEXT NOT NULL,
                contoh INTEGER NOT NULL DEFAULT 0,
                panjang_m REAL,
                atribut TEXT NOT NULL DEFAULT '{}'",
        })],
    },
    Migration {
        version: 4,
        name: "latest assessment on the slum-location layer",
        steps: &[
            // Kept by the store on every assessment or location write, so that the layer
            // opened in QGIS (or exported) shows each location's class without a join.
            Step::Sql("ALTER TABLE lokasi_kumuh ADD COLUMN tahun_penilaian INTEGER"),
            Step::Sql("ALTER TABLE lokasi_kumuh ADD COLUMN total_nilai INTEGER"),
            Step::Sql("ALTER TABLE lokasi_kumuh ADD COLUMN kelas TEXT"),
            Step::Sql("ALTER TABLE lokasi_kumuh ADD COLUMN prioritas TEXT"),
        ],
    },
    Migration {
        version: 5,
        name: "works, segments, co-funding, audit log; dated evaluations; siteplans; desa-scoped users",
        steps: &[
            // A location can be evaluated again within a survey year when a work is
            // finished, so an assessment is keyed by what it rests on (`dasar`): the
            // survey, or the finished segment.
            Step::Sql(
                "CREATE TABLE penilaian_v5 (
                fid INTEGER PRIMARY KEY AUTOINCREMENT,
                kode_lokasi TEXT NOT NULL,
                nama_lokasi TEXT NOT NULL,
                kode_desa TEXT NOT NULL,
                tahun INTEGER NOT NULL,
                aturan TEXT NOT NULL,
                versi_aturan TEXT NOT NULL,
                luas_ha REAL NOT NULL,
                total INTEGER NOT NULL,
                kelas TEXT NOT NULL,
                prioritas TEXT,
                hasil TEXT NOT NULL,
                dicatat TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
                dasar TEXT NOT NULL DEFAULT 'survei',
                tanggal TEXT,
                UNIQUE (kode_lokasi, tahun, dasar))",
            ),
            Step::Sql(
                "INSERT INTO penilaian_v5 (fid, kode_lokasi, nama_lokasi, kode_desa, tahun, aturan,
                   versi_aturan, luas_ha, total, kelas, prioritas, hasil, dicatat)
                 SELECT fid, kode_lokasi, nama_lokasi, kode_desa, tahun, aturan, versi_aturan,
                   luas_ha, total, kelas, prioritas, hasil, dicatat FROM penilaian",
            ),
            Step::Sql("DROP TABLE penilaian"),
            Step::Sql("ALTER TABLE penilaian_v5 RENAME TO penilaian"),
            Step::Sql("CREATE INDEX penilaian_kode_desa ON penilaian(kode_desa, tahun)"),
            Step::Attributes(AttributesTable {
                name: "kegiatan",
                description: "Kegiatan (works): each work whole, with its segments, funding ledgers and maintenance group, as checked JSON; versi counts its changes",
                create: "CREATE TABLE kegiatan (
                fid INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                kode_desa TEXT NOT NULL,
                tahun INTEGER NOT NULL,
                nama TEXT NOT NULL,
                jenis TEXT NOT NULL,
                status TEXT NOT NULL,
                contoh INTEGER NOT NULL DEFAULT 0,
                versi INTEGER NOT NULL,
                data TEXT NOT NULL,
                diubah TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))",
            }),
            Step::Sql("CREATE INDEX kegiatan_kode_desa ON kegiatan(kode_desa, tahun)"),
            // The segments as a map layer for GIS users and the tile server, rewritten
            // from `kegiatan` on every change of their work.
            Step::Features(FeatureTable {
                name: "kegiatan_segmen",
                description: "Segmen kegiatan (work segments) with status, main funding source, money and progress; derived from kegiatan",
                geometry_type: "GEOMETRY",
                columns: "kegiatan_id TEXT NOT NULL,
                segmen_id TEXT NOT NULL,
                kode_desa TEXT NOT NULL,
                tahun INTEGER NOT NULL,
                kegiatan TEXT NOT NULL,
                segmen TEXT NOT NULL,
                jenis TEXT NOT NULL,
                status TEXT NOT NULL,
                sumber_utama TEXT,
                alokasi_rp INTEGER NOT NULL,
                alokasi_tidak_diketahui INTEGER NOT NULL,
                realisasi_rp INTEGER NOT NULL,
                progres_fisik_persen REAL,
                progres_keuangan_persen REAL,
                volume_rencana REAL,
                satuan TEXT NOT NULL,
                terukur REAL,
                kondisi_sebelum TEXT,
                kondisi_sesudah TEXT,
                kriteria TEXT NOT NULL DEFAULT '',
                kode_lokasi TEXT,
                contoh INTEGER NOT NULL DEFAULT 0,
                UNIQUE (kegiatan_id, segmen_id)",
            }),
            Step::Attributes(AttributesTable {
                name: "kumuh_audit",
                description: "Audit log: every change to works, money, progress and maintenance ledgers (who, when, before, after); append-only",
                create: "CREATE TABLE kumuh_audit (
                fid INTEGER PRIMARY KEY AUTOINCREMENT,
                waktu TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
                pengguna TEXT NOT NULL,
                entitas TEXT NOT NULL,
                kunci TEXT NOT NULL,
                aksi TEXT NOT NULL,
                versi INTEGER,
                sebelum TEXT,
                sesudah TEXT)",
            }),
            Step::Sql("CREATE INDEX kumuh_audit_kunci ON kumuh_audit(entitas, kunci)"),
            Step::Attributes(AttributesTable {
                name: "siteplan",
                description: "Siteplans of desa: each whole, with every version of its features, as checked JSON; revisi counts its changes",
                create: "CREATE TABLE siteplan (
                fid INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                kode_desa TEXT NOT NULL,
                judul TEXT NOT NULL,
                status TEXT NOT NULL,
                contoh INTEGER NOT NULL DEFAULT 0,
                versi INTEGER NOT NULL,
                revisi INTEGER NOT NULL,
                data TEXT NOT NULL,
                diubah TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))",
            }),
            Step::Sql("CREATE INDEX siteplan_kode_desa ON siteplan(kode_desa)"),
            // The current version's features as a map layer, rewritten on every save.
            Step::Features(FeatureTable {
                name: "siteplan_fitur",
                description: "Siteplan features (current version) with category, label and note; derived from siteplan",
                geometry_type: "GEOMETRY",
                columns: "siteplan_id TEXT NOT NULL,
                fitur_id TEXT NOT NULL,
                kode_desa TEXT NOT NULL,
                versi INTEGER NOT NULL,
                kategori TEXT NOT NULL,
                label TEXT,
                catatan TEXT,
                contoh INTEGER NOT NULL DEFAULT 0,
                UNIQUE (siteplan_id, fitur_id)",
            }),
            // The desa an `lkm` user writes for, as comma-separated codes.
            Step::Sql("ALTER TABLE kumuh_users ADD COLUMN desa TEXT NOT NULL DEFAULT ''"),
            Step::Sql(
                "CREATE TRIGGER kumuh_audit_no_update BEFORE UPDATE ON kumuh_audit
                 BEGIN SELECT RAISE(ABORT, 'kumuh_audit is append-only'); END",
            ),
            Step::Sql(AUDIT_NO_DELETE),
        ],
    },
    Migration {
        version: 6,
        name: "change feed of the map layers, for servers to follow writes made elsewhere",
        steps: &[
            Step::Attributes(AttributesTable {
                name: "kumuh_perubahan",
                description: "Change feed: which map feature (layer and code) each write touched, in order; written by triggers, pruned to the last 100,000",
                create: "CREATE TABLE kumuh_perubahan (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                lapisan TEXT NOT NULL,
                kunci TEXT NOT NULL,
                waktu TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))",
            }),
            // Keeps the feed bounded: every 1,000th change drops what is 100,000 behind.
            Step::Sql(
                "CREATE TRIGGER kumuh_perubahan_pangkas AFTER INSERT ON kumuh_perubahan
                 WHEN NEW.id % 1000 = 0
                 BEGIN DELETE FROM kumuh_perubahan WHERE id <= NEW.id - 100000; END",
            ),
            Step::ChangeFeed(ChangeFeed {
                table: "provinsi",
                layer: "provinsi",
                key: "kode",
            }),
            Step::ChangeFeed(ChangeFeed {
                table: "kabupaten",
                layer: "kabupaten",
                key: "kode",
            }),
            Step::ChangeFeed(ChangeFeed {
                table: "kecamatan",
                layer: "kecamatan",
                key: "kode",
            }),
            Step::ChangeFeed(ChangeFeed {
                table: "desa",
                layer: "desa",
                key: "kode",
            }),
            Step::ChangeFeed(ChangeFeed {
                table: "rw",
                layer: "rw",
                key: "kode",
            }),
            Step::ChangeFeed(ChangeFeed {
                table: "rt",
                layer: "rt",
                key: "kode",
            }),
            Step::ChangeFeed(ChangeFeed {
                table: "lokasi_kumuh",
                layer: "lokasi",
                key: "kode",
            }),
            Step::ChangeFeed(ChangeFeed {
                table: "penilaian",
                layer: "lokasi",
                key: "kode_lokasi",
            }),
            Step::ChangeFeed(ChangeFeed {
                table: "jaringan",
                layer: "jaringan",
                key: "kode",
            }),
            Step::ChangeFeed(ChangeFeed {
                table: "kegiatan",
                layer: "kegiatan",
                key: "id",
            }),
        ],
    },
    Migration {
        version: 7,
        name: "revolving loans: KSM, members' NIKs, savings and loan books, collection",
        steps: &[
            Step::Attributes(AttributesTable {
                name: "upk_ksm",
                description: "KSM (community self-help groups) that borrow from the UPK: each whole with its members, rules and checks, as checked JSON without NIKs; versi counts its changes",
                create: "CREATE TABLE upk_ksm (
                fid INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                kode_desa TEXT NOT NULL,
                nama TEXT NOT NULL,
                jenis TEXT NOT NULL,
                jumlah_anggota INTEGER NOT NULL,
                contoh INTEGER NOT NULL DEFAULT 0,
                versi INTEGER NOT NULL,
                data TEXT NOT NULL,
                diubah TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))",
            }),
            Step::Sql("CREATE INDEX upk_ksm_kode_desa ON upk_ksm(kode_desa)"),
            // Personal data, kept apart so that no listing reads it by accident; left out
            // of copies made for sharing.
            Step::Attributes(AttributesTable {
                name: "upk_ksm_nik",
                description: "NIKs (national identity numbers) of KSM members by member number; personal data, read only by users of the KSM's desa",
                create: "CREATE TABLE upk_ksm_nik (
                fid INTEGER PRIMARY KEY AUTOINCREMENT,
                ksm_id TEXT NOT NULL UNIQUE,
                data TEXT NOT NULL)",
            }),
            Step::Attributes(AttributesTable {
                name: "upk_tabungan",
                description: "Joint-liability savings (tabungan tanggung renteng) of each KSM: the whole book as checked JSON, with the balance; versi counts its changes",
                create: "CREATE TABLE upk_tabungan (
                fid INTEGER PRIMARY KEY AUTOINCREMENT,
                ksm_id TEXT NOT NULL UNIQUE,
                kode_desa TEXT NOT NULL,
                saldo_rp INTEGER NOT NULL,
                versi INTEGER NOT NULL,
                data TEXT NOT NULL,
                diubah TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))",
            }),
            Step::Attributes(AttributesTable {
                name: "upk_pinjaman",
                description: "Revolving loans (pinjaman dana bergulir) to KSM: each whole with terms, decision, disbursement and book, as checked JSON; versi counts its changes",
                create: "CREATE TABLE upk_pinjaman (
                fid INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                ksm_id TEXT NOT NULL,
                kode_desa TEXT NOT NULL,
                status TEXT NOT NULL,
                pokok_rp INTEGER NOT NULL,
                tanggal_cair TEXT,
                contoh INTEGER NOT NULL DEFAULT 0,
                versi INTEGER NOT NULL,
                data TEXT NOT NULL,
                diubah TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))",
            }),
            Step::Sql("CREATE INDEX upk_pinjaman_kode_desa ON upk_pinjaman(kode_desa, ksm_id)"),
            Step::Attributes(AttributesTable {
                name: "upk_buku",
                description: "Every entry of the savings and loan books (deposits, withdrawals, repayments, write-offs, reversals) as appended; append-only",
                create: "CREATE TABLE upk_buku (
                fid INTEGER PRIMARY KEY AUTOINCREMENT,
                buku TEXT NOT NULL,
                kunci TEXT NOT NULL,
                entri INTEGER NOT NULL,
                kode_desa TEXT NOT NULL,
                jenis TEXT NOT NULL,
                tanggal TEXT,
                jumlah_rp INTEGER,
                data TEXT NOT NULL,
                dicatat TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
                UNIQUE (buku, kunci, entri))",
            }),
            Step::Attributes(AttributesTable {
                name: "upk_penagihan",
                description: "Collection plans (rencana penagihan) and visit results (hasil kunjungan) for loans in arrears; append-only",
                create: "CREATE TABLE upk_penagihan (
                fid INTEGER PRIMARY KEY AUTOINCREMENT,
                pinjaman_id TEXT NOT NULL,
                kode_desa TEXT NOT NULL,
                jenis TEXT NOT NULL CHECK (jenis IN ('rencana', 'kunjungan')),
                tanggal TEXT NOT NULL,
                data TEXT NOT NULL,
                dicatat TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))",
            }),
            Step::Sql("CREATE INDEX upk_penagihan_kode_desa ON upk_penagihan(kode_desa)"),
            Step::Sql(
                "CREATE TRIGGER upk_buku_no_update BEFORE UPDATE ON upk_buku
                 BEGIN SELECT RAISE(ABORT, 'upk_buku is append-only'); END",
            ),
            Step::Sql(UPK_NO_DELETE[0]),
            Step::Sql(
                "CREATE TRIGGER upk_penagihan_no_update BEFORE UPDATE ON upk_penagihan
                 BEGIN SELECT RAISE(ABORT, 'upk_penagihan is append-only'); END",
            ),
            Step::Sql(UPK_NO_DELETE[1]),
        ],
    },
    Migration {
        version: 8,
        name: "photos of work segments with their thumbnails",
        steps: &[
            Step::Attributes(AttributesTable {
                name: "kegiatan_foto",
                description: "Foto dokumentasi: photos of work segments at 0, 50 and 100 % progress and free ones, each with its thumbnail (JPEG), EXIF time and position (lon, lat, EPSG:4326) and uploader",
                create: "CREATE TABLE kegiatan_foto (
                fid INTEGER PRIMARY KEY AUTOINCREMENT,
                kegiatan_id TEXT NOT NULL REFERENCES kegiatan(id) ON DELETE CASCADE,
                segmen_id TEXT NOT NULL,
                kode_desa TEXT NOT NULL,
                tahap TEXT NOT NULL CHECK (tahap IN ('0', '50', '100', 'bebas')),
                media_type TEXT NOT NULL,
                ukuran_byte INTEGER NOT NULL,
                lebar INTEGER NOT NULL,
                tinggi INTEGER NOT NULL,
                waktu_exif TEXT,
                lon REAL,
                lat REAL,
                pengunggah TEXT NOT NULL,
                diunggah TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
                foto BLOB NOT NULL,
                kecil BLOB NOT NULL)",
            }),
            Step::Sql("CREATE INDEX kegiatan_foto_segmen ON kegiatan_foto(kegiatan_id, segmen_id)"),
            Step::Sql("CREATE INDEX kegiatan_foto_kode_desa ON kegiatan_foto(kode_desa)"),
        ],
    },
    Migration {
        version: 9,
        name: "basemaps and the tiles of kept basemaps",
        steps: &[
            Step::Attributes(AttributesTable {
                name: "peta_dasar",
                description: "Peta dasar: basemaps drawn under the atlas layers, remote (an XYZ URL template) or kept (tiles in peta_dasar_ubin), with their attribution, zooms and bounds (EPSG:4326)",
                create: "CREATE TABLE peta_dasar (
                nama TEXT PRIMARY KEY,
                judul TEXT NOT NULL,
                jenis TEXT NOT NULL CHECK (jenis IN ('xyz', 'berkas')),
                sumber TEXT NOT NULL,
                format TEXT NOT NULL,
                atribusi TEXT NOT NULL,
                minzoom INTEGER NOT NULL,
                maxzoom INTEGER NOT NULL,
                barat REAL,
                selatan REAL,
                timur REAL,
                utara REAL,
                jumlah_ubin INTEGER NOT NULL DEFAULT 0,
                ukuran_byte INTEGER NOT NULL DEFAULT 0,
                dibuat TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))",
            }),
            Step::Attributes(AttributesTable {
                name: "peta_dasar_ubin",
                description: "The raster tiles of kept basemaps, XYZ scheme (row 0 at the north)",
                create: "CREATE TABLE peta_dasar_ubin (
                nama TEXT NOT NULL REFERENCES peta_dasar(nama) ON DELETE CASCADE,
                z INTEGER NOT NULL,
                x INTEGER NOT NULL,
                y INTEGER NOT NULL,
                data BLOB NOT NULL,
                PRIMARY KEY (nama, z, x, y)) WITHOUT ROWID",
            }),
        ],
    },
    Migration {
        version: 10,
        name: "kept tile indexes",
        steps: &[Step::Attributes(AttributesTable {
            name: "kumuh_indeks_ubin",
            description: "Kept tile indexes: each map layer's index as a server built it, with the change-feed position it holds, so that a restart reads it instead of building it again; left out of shared copies",
            create: "CREATE TABLE kumuh_indeks_ubin (
                lapisan TEXT PRIMARY KEY,
                perubahan INTEGER NOT NULL,
                versi TEXT NOT NULL,
                data BLOB NOT NULL,
                dibuat TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))",
        })],
    },
];

/// The newest schema version this build knows.
pub(crate) fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

const GPKG_CORE: &str = r#"
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL,
  srs_id INTEGER PRIMARY KEY,
  organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL,
  description TEXT
);
INSERT INTO gpkg_spatial_ref_sys VALUES
  ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
  ('WGS 84 geodetic', 4326, 'EPSG', 4326,
   'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]',
   'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  data_type TEXT NOT NULL,
  identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
  srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
);
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL,
  m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
);
CREATE TABLE gpkg_extensions (
  table_name TEXT,
  column_name TEXT,
  extension_name TEXT NOT NULL,
  definition TEXT NOT NULL,
  scope TEXT NOT NULL,
  CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name)
);
"#;

/// The R-tree triggers of GeoPackage 1.3 annex F.3, for table `t`, geometry column `geom`
/// and primary key `fid`.
fn rtree_sql(t: &str) -> String {
    let r = format!("rtree_{t}_geom");
    let bounds = "ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)";
    format!(
        "CREATE VIRTUAL TABLE {r} USING rtree(id, minx, maxx, miny, maxy);
CREATE TRIGGER {r}_insert AFTER INSERT ON {t}
  WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  INSERT OR REPLACE INTO {r} VALUES (NEW.fid, {bounds});
END;
CREATE TRIGGER {r}_update1 AFTER UPDATE OF geom ON {t}
  WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  INSERT OR REPLACE INTO {r} VALUES (NEW.fid, {bounds});
END;
CREATE TRIGGER {r}_update2 AFTER UPDATE OF geom ON {t}
  WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM {r} WHERE id = OLD.fid;
END;
CREATE TRIGGER {r}_update3 AFTER UPDATE ON {t}
  WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM {r} WHERE id = OLD.fid;
  INSERT OR REPLACE INTO {r} VALUES (NEW.fid, {bounds});
END;
CREATE TRIGGER {r}_update4 AFTER UPDATE ON {t}
  WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
BEGIN
  DELETE FROM {r} WHERE id IN (OLD.fid, NEW.fid);
END;
CREATE TRIGGER {r}_delete AFTER DELETE ON {t}
  WHEN old.geom NOT NULL
BEGIN
  DELETE FROM {r} WHERE id = OLD.fid;
END;"
    )
}

async fn exec(conn: &mut SqliteConnection, sql: String, what: &str) -> Result<()> {
    sqlx::raw_sql(AssertSqlSafe(sql))
        .execute(conn)
        .await
        .ctx(what.to_owned())?;
    Ok(())
}

/// Drops the triggers of `table` whose names start with `prefix` (in the caller's
/// transaction), returning their `CREATE TRIGGER` statements as the file had them.
pub(super) async fn drop_triggers(
    conn: &mut SqliteConnection,
    table: &str,
    prefix: &str,
) -> Result<Vec<String>> {
    let triggers: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master
         WHERE type = 'trigger' AND tbl_name = ?1 AND substr(name, 1, length(?2)) = ?2
         ORDER BY name",
    )
    .bind(table)
    .bind(prefix)
    .fetch_all(&mut *conn)
    .await
    .ctx(format!("reading the triggers of {table}"))?;
    for (name, _) in &triggers {
        sqlx::query(AssertSqlSafe(format!("DROP TRIGGER \"{name}\"")))
            .execute(&mut *conn)
            .await
            .ctx(format!("suspending trigger {name}"))?;
    }
    Ok(triggers.into_iter().map(|(_, sql)| sql).collect())
}

/// Creates again the triggers [`drop_triggers`] returned.
pub(super) async fn restore_triggers(
    conn: &mut SqliteConnection,
    table: &str,
    triggers: Vec<String>,
) -> Result<()> {
    for sql in triggers {
        sqlx::query(AssertSqlSafe(sql))
            .execute(&mut *conn)
            .await
            .ctx(format!("restoring the triggers of {table}"))?;
    }
    Ok(())
}

/// The change-feed layer of a table (`lokasi` for `lokasi_kumuh`), when its writes are
/// in the feed.
pub(super) fn feed_layer(table: &str) -> Option<&'static str> {
    MIGRATIONS
        .iter()
        .flat_map(|m| m.steps)
        .find_map(|step| match step {
            Step::ChangeFeed(f) if f.table == table => Some(f.layer),
            _ => None,
        })
}

impl Step {
    async fn apply(&self, conn: &mut SqliteConnection) -> Result<()> {
        match self {
            Step::Sql(sql) => exec(conn, (*sql).to_owned(), "migration step").await,
            Step::ChangeFeed(f) => {
                for (event, row) in [("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")] {
                    // An update that changes the key is the old key gone and the new one
                    // written: record both.
                    let also_old = if event == "UPDATE" {
                        format!(
                            "INSERT INTO kumuh_perubahan (lapisan, kunci) SELECT '{layer}', OLD.{key} WHERE OLD.{key} IS NOT NEW.{key};",
                            layer = f.layer,
                            key = f.key
                        )
                    } else {
                        String::new()
                    };
                    let sql = format!(
                        "CREATE TRIGGER kumuh_perubahan_{table}_{lower} AFTER {event} ON {table}
                         BEGIN {also_old} INSERT INTO kumuh_perubahan (lapisan, kunci) VALUES ('{layer}', {row}.{key}); END",
                        table = f.table,
                        lower = event.to_ascii_lowercase(),
                        layer = f.layer,
                        key = f.key,
                    );
                    exec(conn, sql, "creating a change-feed trigger").await?;
                }
                Ok(())
            }
            Step::Attributes(t) => {
                exec(conn, t.create.to_owned(), t.name).await?;
                sqlx::query(
                    "INSERT INTO gpkg_contents (table_name, data_type, identifier, description)
                     VALUES (?, 'attributes', ?, ?)",
                )
                .bind(t.name)
                .bind(t.name)
                .bind(t.description)
                .execute(&mut *conn)
                .await
                .ctx(format!("registering {}", t.name))?;
                Ok(())
            }
            Step::Features(t) => {
                let create = format!(
                    "CREATE TABLE {} (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom {}, {})",
                    t.name, t.geometry_type, t.columns
                );
                exec(conn, create, t.name).await?;
                sqlx::query(
                    "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)
                     VALUES (?, 'features', ?, ?, 4326)",
                )
                .bind(t.name)
                .bind(t.name)
                .bind(t.description)
                .execute(&mut *conn)
                .await
                .ctx(format!("registering {}", t.name))?;
                sqlx::query("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, 4326, 0, 0)")
                    .bind(t.name)
                    .bind(t.geometry_type)
                    .execute(&mut *conn)
                    .await
                    .ctx(format!("registering the geometry of {}", t.name))?;
                exec(conn, rtree_sql(t.name), "creating the R-tree index").await?;
                sqlx::query(
                    "INSERT INTO gpkg_extensions VALUES (?, 'geom', 'gpkg_rtree_index',
                     'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')",
                )
                .bind(t.name)
                .execute(&mut *conn)
                .await
                .ctx("registering the R-tree extension")?;
                Ok(())
            }
        }
    }
}

/// Applies every migration newer than `current`, each in its own transaction.
pub(crate) async fn migrate(conn: &mut SqliteConnection, current: i64) -> Result<()> {
    for m in MIGRATIONS.iter().filter(|m| m.version > current) {
        let mut tx = sqlx::Connection::begin(&mut *conn)
            .await
            .ctx("starting a migration")?;
        for step in m.steps {
            step.apply(&mut tx).await?;
        }
        sqlx::query("INSERT INTO kumuh_migrations (version, name) VALUES (?, ?)")
            .bind(m.version)
            .bind(m.name)
            .execute(&mut *tx)
            .await
            .ctx("recording the migration")?;
        tx.commit().await.ctx(format!("migration {}", m.version))?;
    }
    if current < latest_version() && current >= 10 {
        // A migration may rewrite features without a change-feed entry: the kept tile
        // indexes may no longer match, so the next start builds them again.
        exec(
            conn,
            "DELETE FROM kumuh_indeks_ubin".into(),
            "forgetting the kept tile indexes",
        )
        .await?;
    }
    Ok(())
}
