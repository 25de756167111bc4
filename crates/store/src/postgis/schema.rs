//! The PostGIS schema and its migrations.
//!
//! The tables mirror the GeoPackage's (same names, same columns) so that SQL and GIS
//! users find the same layers in either backend: every spatial table has a
//! `geometry(…, 4326)` column `geom` with a GiST index, money is `bigint` whole rupiah,
//! and records kept whole are JSON text exactly as the GeoPackage keeps them. Triggers
//! keep the audit log append-only and fill the change feed.
//!
//! Each migration runs in one transaction under an advisory lock, so two servers
//! starting on one empty database do not both create the schema.

use sqlx::{AssertSqlSafe, PgConnection};

use crate::error::{DbContext, Result};

/// One migration: a version, what it does, and its SQL (several statements).
#[derive(Debug)]
pub(super) struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: fn() -> String,
}

/// The advisory lock every migration and the first look at a database take, so that
/// concurrent openers see the schema whole or not at all.
pub(super) const MIGRATION_LOCK: i64 = 0x4B55_4D55_485F_4D49; // "KUMUH_MI"

/// Every migration, oldest first. Never edit one that has shipped: add a new one.
pub(super) const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "places, slum locations with their latest assessment, lines, users, assessments, works, segments, siteplans, audit log, change feed",
        sql: version_1,
    },
    Migration {
        version: 2,
        name: "revolving loans: KSM, members' NIKs, savings and loan books, collection",
        sql: version_2,
    },
    Migration {
        version: 3,
        name: "photos of work segments with their thumbnails",
        sql: version_3,
    },
    Migration {
        version: 4,
        name: "basemaps and the tiles of kept basemaps",
        sql: version_4,
    },
    Migration {
        version: 5,
        name: "kept tile indexes",
        sql: version_5,
    },
];

/// The newest schema version this build knows.
pub(crate) fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// RFC 3339 UTC with milliseconds, as the GeoPackage writes its times.
const NOW: &str = "kumuh_sekarang()";

const PLACE_LEVELS: [&str; 6] = ["provinsi", "kabupaten", "kecamatan", "desa", "rw", "rt"];

/// Change-feed triggers of a table: its `layer` and the column holding the feature's key.
const FEEDS: [(&str, &str, &str); 10] = [
    ("provinsi", "provinsi", "kode"),
    ("kabupaten", "kabupaten", "kode"),
    ("kecamatan", "kecamatan", "kode"),
    ("desa", "desa", "kode"),
    ("rw", "rw", "kode"),
    ("rt", "rt", "kode"),
    ("lokasi_kumuh", "lokasi", "kode"),
    ("penilaian", "lokasi", "kode_lokasi"),
    ("jaringan", "jaringan", "kode"),
    ("kegiatan", "kegiatan", "id"),
];

fn version_1() -> String {
    let mut sql = format!(
        r#"
CREATE FUNCTION kumuh_sekarang() RETURNS text LANGUAGE sql STABLE AS
  $$ SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;

CREATE TABLE kumuh_migrations (
  version bigint PRIMARY KEY,
  name text NOT NULL,
  applied_at text NOT NULL DEFAULT {NOW});
"#
    );
    for t in PLACE_LEVELS {
        sql.push_str(&format!(
            "CREATE TABLE {t} (
  fid bigserial PRIMARY KEY,
  geom geometry(MultiPolygon, 4326),
  kode text NOT NULL UNIQUE,
  kode_induk text,
  kode_bps text,
  nama text NOT NULL,
  nama_alt text NOT NULL DEFAULT '[]',
  luas_ha double precision,
  kunci_cari text NOT NULL,
  atribut text NOT NULL DEFAULT '{{}}');
CREATE INDEX {t}_geom ON {t} USING gist (geom);
CREATE INDEX {t}_kode_induk ON {t} (kode_induk);
"
        ));
    }
    sql.push_str(&format!(
        r#"
CREATE TABLE lokasi_kumuh (
  fid bigserial PRIMARY KEY,
  geom geometry(MultiPolygon, 4326),
  kode text NOT NULL UNIQUE,
  nama text NOT NULL,
  kode_desa text NOT NULL,
  kawasan text,
  rt text NOT NULL DEFAULT '[]',
  sk_nomor text,
  sk_tanggal text,
  luas_ha double precision,
  atribut text NOT NULL DEFAULT '{{}}',
  tahun_penilaian integer,
  total_nilai bigint,
  kelas text,
  prioritas text);
CREATE INDEX lokasi_kumuh_geom ON lokasi_kumuh USING gist (geom);
CREATE INDEX lokasi_kumuh_kode_desa ON lokasi_kumuh (kode_desa);

CREATE TABLE jaringan (
  fid bigserial PRIMARY KEY,
  geom geometry(MultiLineString, 4326),
  kode text NOT NULL UNIQUE,
  jenis text NOT NULL,
  kondisi text NOT NULL,
  contoh boolean NOT NULL DEFAULT false,
  panjang_m double precision,
  atribut text NOT NULL DEFAULT '{{}}');
CREATE INDEX jaringan_geom ON jaringan USING gist (geom);

CREATE TABLE kumuh_users (
  fid bigserial PRIMARY KEY,
  username text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  role text NOT NULL,
  desa text NOT NULL DEFAULT '',
  created_at text NOT NULL DEFAULT {NOW});

CREATE TABLE kumuh_tokens (
  fid bigserial PRIMARY KEY,
  token_hash text NOT NULL UNIQUE,
  username text NOT NULL REFERENCES kumuh_users (username) ON DELETE CASCADE,
  expires_unix bigint NOT NULL,
  created_at text NOT NULL DEFAULT {NOW});

CREATE TABLE penilaian (
  fid bigserial PRIMARY KEY,
  kode_lokasi text NOT NULL,
  nama_lokasi text NOT NULL,
  kode_desa text NOT NULL,
  tahun integer NOT NULL,
  aturan text NOT NULL,
  versi_aturan text NOT NULL,
  luas_ha double precision NOT NULL,
  total bigint NOT NULL,
  kelas text NOT NULL,
  prioritas text,
  hasil text NOT NULL,
  dicatat text NOT NULL DEFAULT {NOW},
  dasar text NOT NULL DEFAULT 'survei',
  tanggal text,
  UNIQUE (kode_lokasi, tahun, dasar));
CREATE INDEX penilaian_kode_desa ON penilaian (kode_desa, tahun);

CREATE TABLE kegiatan (
  fid bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  kode_desa text NOT NULL,
  tahun integer NOT NULL,
  nama text NOT NULL,
  jenis text NOT NULL,
  status text NOT NULL,
  contoh boolean NOT NULL DEFAULT false,
  versi bigint NOT NULL,
  data text NOT NULL,
  diubah text NOT NULL DEFAULT {NOW});
CREATE INDEX kegiatan_kode_desa ON kegiatan (kode_desa, tahun);

CREATE TABLE kegiatan_segmen (
  fid bigserial PRIMARY KEY,
  geom geometry(Geometry, 4326),
  kegiatan_id text NOT NULL,
  segmen_id text NOT NULL,
  kode_desa text NOT NULL,
  tahun integer NOT NULL,
  kegiatan text NOT NULL,
  segmen text NOT NULL,
  jenis text NOT NULL,
  status text NOT NULL,
  sumber_utama text,
  alokasi_rp bigint NOT NULL,
  alokasi_tidak_diketahui bigint NOT NULL,
  realisasi_rp bigint NOT NULL,
  progres_fisik_persen double precision,
  progres_keuangan_persen double precision,
  volume_rencana double precision,
  satuan text NOT NULL,
  terukur double precision,
  kondisi_sebelum text,
  kondisi_sesudah text,
  kriteria text NOT NULL DEFAULT '',
  kode_lokasi text,
  contoh boolean NOT NULL DEFAULT false,
  UNIQUE (kegiatan_id, segmen_id));
CREATE INDEX kegiatan_segmen_geom ON kegiatan_segmen USING gist (geom);

CREATE TABLE kumuh_audit (
  fid bigserial PRIMARY KEY,
  waktu text NOT NULL DEFAULT {NOW},
  pengguna text NOT NULL,
  entitas text NOT NULL,
  kunci text NOT NULL,
  aksi text NOT NULL,
  versi bigint,
  sebelum text,
  sesudah text);
CREATE INDEX kumuh_audit_kunci ON kumuh_audit (entitas, kunci);
CREATE FUNCTION kumuh_audit_hanya_tambah() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'kumuh_audit is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER kumuh_audit_no_update BEFORE UPDATE OR DELETE ON kumuh_audit
  FOR EACH ROW EXECUTE FUNCTION kumuh_audit_hanya_tambah();
CREATE TRIGGER kumuh_audit_no_truncate BEFORE TRUNCATE ON kumuh_audit
  FOR EACH STATEMENT EXECUTE FUNCTION kumuh_audit_hanya_tambah();

CREATE TABLE siteplan (
  fid bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  kode_desa text NOT NULL,
  judul text NOT NULL,
  status text NOT NULL,
  contoh boolean NOT NULL DEFAULT false,
  versi bigint NOT NULL,
  revisi bigint NOT NULL,
  data text NOT NULL,
  diubah text NOT NULL DEFAULT {NOW});
CREATE INDEX siteplan_kode_desa ON siteplan (kode_desa);

CREATE TABLE siteplan_fitur (
  fid bigserial PRIMARY KEY,
  geom geometry(Geometry, 4326),
  siteplan_id text NOT NULL,
  fitur_id text NOT NULL,
  kode_desa text NOT NULL,
  versi bigint NOT NULL,
  kategori text NOT NULL,
  label text,
  catatan text,
  contoh boolean NOT NULL DEFAULT false,
  UNIQUE (siteplan_id, fitur_id));
CREATE INDEX siteplan_fitur_geom ON siteplan_fitur USING gist (geom);

-- The change feed. Writers append under one transaction-scoped lock, so ids commit in
-- the order they were drawn and a follower that read up to id N never misses a later
-- commit of a smaller id. Every 1,000th change prunes what is 100,000 behind and notes
-- how far it pruned, which is how a follower learns it lost changes.
CREATE TABLE kumuh_perubahan (
  id bigserial PRIMARY KEY,
  lapisan text NOT NULL,
  kunci text NOT NULL,
  waktu text NOT NULL DEFAULT {NOW});
CREATE TABLE kumuh_perubahan_pangkas (
  satu boolean PRIMARY KEY DEFAULT true CHECK (satu),
  sampai bigint NOT NULL);
INSERT INTO kumuh_perubahan_pangkas (sampai) VALUES (0);

CREATE FUNCTION kumuh_perubahan_catat() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  lama text;
  baru text;
BEGIN
  PERFORM pg_advisory_xact_lock({feed_lock});
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    EXECUTE format('SELECT ($1).%I::text', TG_ARGV[1]) USING OLD INTO lama;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    EXECUTE format('SELECT ($1).%I::text', TG_ARGV[1]) USING NEW INTO baru;
  END IF;
  IF lama IS NOT NULL AND lama IS DISTINCT FROM baru THEN
    INSERT INTO kumuh_perubahan (lapisan, kunci) VALUES (TG_ARGV[0], lama);
  END IF;
  IF baru IS NOT NULL THEN
    INSERT INTO kumuh_perubahan (lapisan, kunci) VALUES (TG_ARGV[0], baru);
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION kumuh_perubahan_pangkas() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id % 1000 = 0 THEN
    DELETE FROM kumuh_perubahan WHERE id <= NEW.id - 100000;
    UPDATE kumuh_perubahan_pangkas SET sampai = greatest(sampai, NEW.id - 100000);
  END IF;
  PERFORM pg_notify('kumuh_perubahan', NEW.id::text);
  RETURN NULL;
END $$;
CREATE TRIGGER kumuh_perubahan_pangkas AFTER INSERT ON kumuh_perubahan
  FOR EACH ROW EXECUTE FUNCTION kumuh_perubahan_pangkas();

-- Failed sign-ins per key (a name at an address, an address), shared by every server
-- on the database: the count and when the last one was.
CREATE TABLE kumuh_gagal_masuk (
  kunci text PRIMARY KEY,
  jumlah bigint NOT NULL,
  terakhir_unix bigint NOT NULL);
"#,
        feed_lock = FEED_LOCK,
    ));
    for (table, layer, key) in FEEDS {
        sql.push_str(&format!(
            "CREATE TRIGGER kumuh_perubahan_{table} AFTER INSERT OR UPDATE OR DELETE ON {table}
  FOR EACH ROW EXECUTE FUNCTION kumuh_perubahan_catat('{layer}', '{key}');
"
        ));
    }
    sql
}

/// The UPK's records, as the GeoPackage keeps them (its migration 7): KSM, savings and
/// loans whole as JSON with a version, the members' NIKs apart, and the append-only book
/// entries and collection records, which a trigger refuses to change or delete (as it
/// does for the audit log).
fn version_2() -> String {
    format!(
        r#"
CREATE TABLE upk_ksm (
  fid bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  kode_desa text NOT NULL,
  nama text NOT NULL,
  jenis text NOT NULL,
  jumlah_anggota bigint NOT NULL,
  contoh boolean NOT NULL DEFAULT false,
  versi bigint NOT NULL,
  data text NOT NULL,
  diubah text NOT NULL DEFAULT {NOW});
CREATE INDEX upk_ksm_kode_desa ON upk_ksm (kode_desa);

-- Personal data, kept apart so that no listing reads it by accident; left out of
-- copies made for sharing.
CREATE TABLE upk_ksm_nik (
  fid bigserial PRIMARY KEY,
  ksm_id text NOT NULL UNIQUE,
  data text NOT NULL);

CREATE TABLE upk_tabungan (
  fid bigserial PRIMARY KEY,
  ksm_id text NOT NULL UNIQUE,
  kode_desa text NOT NULL,
  saldo_rp bigint NOT NULL,
  versi bigint NOT NULL,
  data text NOT NULL,
  diubah text NOT NULL DEFAULT {NOW});
CREATE INDEX upk_tabungan_kode_desa ON upk_tabungan (kode_desa);

CREATE TABLE upk_pinjaman (
  fid bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  ksm_id text NOT NULL,
  kode_desa text NOT NULL,
  status text NOT NULL,
  pokok_rp bigint NOT NULL,
  tanggal_cair text,
  contoh boolean NOT NULL DEFAULT false,
  versi bigint NOT NULL,
  data text NOT NULL,
  diubah text NOT NULL DEFAULT {NOW});
CREATE INDEX upk_pinjaman_kode_desa ON upk_pinjaman (kode_desa, ksm_id);

CREATE TABLE upk_buku (
  fid bigserial PRIMARY KEY,
  buku text NOT NULL,
  kunci text NOT NULL,
  entri bigint NOT NULL,
  kode_desa text NOT NULL,
  jenis text NOT NULL,
  tanggal text,
  jumlah_rp bigint,
  data text NOT NULL,
  dicatat text NOT NULL DEFAULT {NOW},
  UNIQUE (buku, kunci, entri));
CREATE INDEX upk_buku_kode_desa ON upk_buku (kode_desa);

CREATE TABLE upk_penagihan (
  fid bigserial PRIMARY KEY,
  pinjaman_id text NOT NULL,
  kode_desa text NOT NULL,
  jenis text NOT NULL CHECK (jenis IN ('rencana', 'kunjungan')),
  tanggal text NOT NULL,
  data text NOT NULL,
  dicatat text NOT NULL DEFAULT {NOW});
CREATE INDEX upk_penagihan_kode_desa ON upk_penagihan (kode_desa);

CREATE FUNCTION upk_hanya_tambah() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER upk_buku_no_update BEFORE UPDATE OR DELETE ON upk_buku
  FOR EACH ROW EXECUTE FUNCTION upk_hanya_tambah();
CREATE TRIGGER upk_buku_no_truncate BEFORE TRUNCATE ON upk_buku
  FOR EACH STATEMENT EXECUTE FUNCTION upk_hanya_tambah();
CREATE TRIGGER upk_penagihan_no_update BEFORE UPDATE OR DELETE ON upk_penagihan
  FOR EACH ROW EXECUTE FUNCTION upk_hanya_tambah();
CREATE TRIGGER upk_penagihan_no_truncate BEFORE TRUNCATE ON upk_penagihan
  FOR EACH STATEMENT EXECUTE FUNCTION upk_hanya_tambah();
"#
    )
}

/// Photos of work segments, as the GeoPackage keeps them (its migration 8).
fn version_3() -> String {
    format!(
        r#"
CREATE TABLE kegiatan_foto (
  fid bigserial PRIMARY KEY,
  kegiatan_id text NOT NULL REFERENCES kegiatan(id) ON DELETE CASCADE,
  segmen_id text NOT NULL,
  kode_desa text NOT NULL,
  tahap text NOT NULL CHECK (tahap IN ('0', '50', '100', 'bebas')),
  media_type text NOT NULL,
  ukuran_byte bigint NOT NULL,
  lebar bigint NOT NULL,
  tinggi bigint NOT NULL,
  waktu_exif text,
  lon double precision,
  lat double precision,
  pengunggah text NOT NULL,
  diunggah text NOT NULL DEFAULT {NOW},
  foto bytea NOT NULL,
  kecil bytea NOT NULL);
CREATE INDEX kegiatan_foto_segmen ON kegiatan_foto (kegiatan_id, segmen_id);
CREATE INDEX kegiatan_foto_kode_desa ON kegiatan_foto (kode_desa);
"#
    )
}

/// Basemaps and the tiles of kept basemaps, as the GeoPackage keeps them (its migration 9).
fn version_4() -> String {
    format!(
        r#"
CREATE TABLE peta_dasar (
  nama text PRIMARY KEY,
  judul text NOT NULL,
  jenis text NOT NULL CHECK (jenis IN ('xyz', 'berkas')),
  sumber text NOT NULL,
  format text NOT NULL,
  atribusi text NOT NULL,
  minzoom bigint NOT NULL,
  maxzoom bigint NOT NULL,
  barat double precision,
  selatan double precision,
  timur double precision,
  utara double precision,
  jumlah_ubin bigint NOT NULL DEFAULT 0,
  ukuran_byte bigint NOT NULL DEFAULT 0,
  dibuat text NOT NULL DEFAULT {NOW});
CREATE TABLE peta_dasar_ubin (
  nama text NOT NULL REFERENCES peta_dasar(nama) ON DELETE CASCADE,
  z bigint NOT NULL,
  x bigint NOT NULL,
  y bigint NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (nama, z, x, y));
"#
    )
}

/// Kept tile indexes, as the GeoPackage keeps them (its migration 10).
fn version_5() -> String {
    format!(
        r#"
CREATE TABLE kumuh_indeks_ubin (
  lapisan text PRIMARY KEY,
  perubahan bigint NOT NULL,
  versi text NOT NULL,
  data bytea NOT NULL,
  dibuat text NOT NULL DEFAULT {NOW});
"#
    )
}

/// The advisory lock writers of the change feed hold until they commit.
pub(super) const FEED_LOCK: i64 = 0x4B55_4D55_485F_4346; // "KUMUH_CF"

/// Applies every migration newer than `current` inside the caller's transaction (which
/// holds [`MIGRATION_LOCK`]).
pub(super) async fn migrate(conn: &mut PgConnection, current: i64) -> Result<()> {
    for m in MIGRATIONS.iter().filter(|m| m.version > current) {
        sqlx::raw_sql(AssertSqlSafe((m.sql)()))
            .execute(&mut *conn)
            .await
            .ctx(format!("migrating the database to version {}", m.version))?;
        sqlx::query("INSERT INTO kumuh_migrations (version, name) VALUES ($1, $2)")
            .bind(m.version)
            .bind(m.name)
            .execute(&mut *conn)
            .await
            .ctx("recording the migration")?;
    }
    if current < latest_version() && current >= 5 {
        // A migration may rewrite features without a change-feed entry: the kept tile
        // indexes may no longer match, so the next start builds them again.
        sqlx::query("DELETE FROM kumuh_indeks_ubin")
            .execute(&mut *conn)
            .await
            .ctx("forgetting the kept tile indexes")?;
    }
    Ok(())
}
