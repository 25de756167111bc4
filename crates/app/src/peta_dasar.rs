//! Basemaps (peta dasar): imagery planners and LKMs draw over. A basemap is either a
//! remote XYZ/TMS raster server, registered by its URL template and attribution, or a
//! file kept in the store: a raster MBTiles or PMTiles (a drone orthophoto cut to tiles),
//! whose tiles the server then serves itself (`/api/peta-dasar/{nama}/{z}/{x}/{y}`), also
//! with no internet.
//!
//! Registering one is a GIS import ([`Action::ImporBerkas`]); the list and the tiles are
//! public, as imagery carries no personal data.
//!
//! Limits (documented in docs/peta-dasar.md): a name of at most [`MAX_NAMA`] characters
//! of `a-z`, `0-9` and `-`; title and attribution at most [`MAX_TEKS`] characters; a URL
//! template at most [`MAX_URL`]; zooms 0 to [`MAX_ZOOM`]; a kept basemap at most
//! [`MAX_UBIN`] tiles of at most [`MAX_UBIN_BYTE`] bytes each and [`MAX_TOTAL_BYTE`] bytes
//! in all; a PMTiles file at most [`MAX_PMTILES_BYTE`] bytes (it is read whole).

use std::path::Path;

use async_trait::async_trait;
use kumuh_domain::{Action, Kode, User};
use kumuh_io::foto::{Jenis, sniff};
use kumuh_store::{
    JenisPetaDasar, MbTiles, NewAudit, PETA_DASAR_AUDIT_ENTITAS, PetaDasar, PetaDasarBaru,
    StoreError, SumberUbin, Ubin,
};
use kumuh_tiles::TileId;
use kumuh_tiles::pmtiles::PmTilesReader;
use serde::Serialize;

use crate::{AppError, Atlas, Result, authorize};

/// Longest basemap name.
pub const MAX_NAMA: usize = 40;
/// Longest title or attribution.
pub const MAX_TEKS: usize = 300;
/// Longest URL template.
pub const MAX_URL: usize = 2_000;
/// Highest zoom a basemap may have.
pub const MAX_ZOOM: u8 = 24;
/// Most tiles a kept basemap may have.
pub const MAX_UBIN: usize = 2_000_000;
/// Largest single tile.
pub const MAX_UBIN_BYTE: usize = 4 << 20;
/// Largest total of a kept basemap's tiles.
pub const MAX_TOTAL_BYTE: u64 = 20 << 30;
/// Largest PMTiles file (read into memory whole).
pub const MAX_PMTILES_BYTE: u64 = 2 << 30;
/// Most tiles an offline package of a basemap may hold.
pub const LURING_MAX_UBIN: usize = 200_000;
/// Most bytes of tiles an offline package of a basemap may hold.
pub const LURING_MAX_BYTE: usize = 1 << 30;
/// Tiles handed to the store at a time from a PMTiles file.
const BATCH: usize = 256;

/// A basemap as the API lists it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PetaDasarInfo {
    /// Its code (the key in URLs).
    pub nama: String,
    /// What the picker shows.
    pub judul: String,
    /// `xyz` (a remote server) or `berkas` (tiles kept in the atlas).
    pub jenis: String,
    /// The tile URL template for the viewer: the remote one, or this server's
    /// `/api/peta-dasar/{nama}/{z}/{x}/{y}` for a kept basemap.
    pub ubin: String,
    /// The tiles' format: `png`, `jpg` or `webp`.
    pub format: String,
    /// The attribution to show (plain text).
    pub atribusi: String,
    /// Lowest zoom with tiles.
    pub minzoom: u8,
    /// Highest zoom with tiles (the viewer over-zooms beyond it).
    pub maxzoom: u8,
    /// Where it has imagery, `[west, south, east, north]`.
    pub batas: Option<[f64; 4]>,
    /// Tiles kept (0 for a remote basemap).
    pub jumlah_ubin: i64,
    /// Bytes of the tiles kept.
    pub ukuran_byte: i64,
}

impl From<PetaDasar> for PetaDasarInfo {
    fn from(p: PetaDasar) -> Self {
        let ubin = match p.jenis {
            JenisPetaDasar::Xyz => p.sumber.clone(),
            JenisPetaDasar::Berkas => format!("/api/peta-dasar/{}/{{z}}/{{x}}/{{y}}", p.nama),
        };
        PetaDasarInfo {
            jenis: p.jenis.as_str().to_owned(),
            ubin,
            nama: p.nama,
            judul: p.judul,
            format: p.format,
            atribusi: p.atribusi,
            minzoom: p.minzoom,
            maxzoom: p.maxzoom,
            batas: p.batas,
            jumlah_ubin: p.jumlah_ubin,
            ukuran_byte: p.ukuran_byte,
        }
    }
}

/// What to register.
#[derive(Debug, Clone, PartialEq)]
pub struct Tambah {
    /// The name (`drone-bibrik`).
    pub nama: String,
    /// The title; the name when omitted.
    pub judul: Option<String>,
    /// The attribution; for a file, its metadata's when omitted.
    pub atribusi: Option<String>,
    /// Zoom range of a remote basemap (default 0 to 19).
    pub zoom: Option<(u8, u8)>,
    /// Where a remote basemap has imagery.
    pub batas: Option<[f64; 4]>,
}

/// Where the basemap comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Sumber {
    /// A remote tile URL template.
    Url(String),
    /// A raster MBTiles or PMTiles file.
    Berkas(std::path::PathBuf),
}

impl Sumber {
    /// A URL when the text starts with `http://` or `https://`, else a file path.
    pub fn parse(text: &str) -> Sumber {
        let lower = text.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            Sumber::Url(text.to_owned())
        } else {
            Sumber::Berkas(text.into())
        }
    }
}

fn invalid(field: &str, message: impl std::fmt::Display) -> AppError {
    AppError::invalid(field, message.to_string())
}

fn check_nama(nama: &str) -> Result<()> {
    let ok = !nama.is_empty()
        && nama.len() <= MAX_NAMA
        && nama
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !nama.starts_with('-');
    if ok {
        Ok(())
    } else {
        Err(invalid(
            "nama",
            format!(
                "{nama:?} must be 1 to {MAX_NAMA} characters of a-z, 0-9 and '-' (e.g. drone-bibrik)"
            ),
        ))
    }
}

fn check_teks(field: &str, text: &str) -> Result<String> {
    let text = text.trim();
    if text.chars().count() > MAX_TEKS {
        return Err(invalid(field, format!("longer than {MAX_TEKS} characters")));
    }
    if text.chars().any(char::is_control) {
        return Err(invalid(field, "holds control characters"));
    }
    Ok(text.to_owned())
}

/// Checks a remote tile URL template: `http(s)://`, with `{z}`, `{x}` and `{y}`, no
/// spaces or quotes; answers the tiles' format guessed from its extension.
pub fn check_url(url: &str) -> Result<String> {
    let field = "url";
    if url.len() > MAX_URL {
        return Err(invalid(field, format!("longer than {MAX_URL} characters")));
    }
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return Err(invalid(
            field,
            format!("{url:?} does not start with https://"),
        ));
    }
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '\\'))
    {
        return Err(invalid(field, format!("{url:?} holds spaces or quotes")));
    }
    for part in ["{z}", "{x}", "{y}"] {
        if !url.contains(part) {
            return Err(invalid(
                field,
                format!(
                    "{url:?} lacks {part}; a template reads like https://tile.example.org/{{z}}/{{x}}/{{y}}.png"
                ),
            ));
        }
    }
    let path = lower.split(['?', '#']).next().unwrap_or("");
    let format = if path.ends_with(".jpg") || path.ends_with(".jpeg") {
        "jpg"
    } else if path.ends_with(".webp") {
        "webp"
    } else {
        "png"
    };
    Ok(format.to_owned())
}

fn check_zoom(zoom: (u8, u8)) -> Result<(u8, u8)> {
    let (min, max) = zoom;
    if min > max || max > MAX_ZOOM {
        return Err(invalid(
            "zoom",
            format!("{min}-{max} is not a range within 0-{MAX_ZOOM}"),
        ));
    }
    Ok(zoom)
}

fn check_batas(batas: [f64; 4]) -> Result<[f64; 4]> {
    // A basemap's extent also has some height.
    let ok = kumuh_domain::geometry::is_bbox(batas) && batas[1] < batas[3];
    if ok {
        Ok(batas)
    } else {
        Err(invalid(
            "batas",
            format!("{batas:?} is not west,south,east,north in degrees"),
        ))
    }
}

/// Every registered basemap.
pub async fn daftar(atlas: &Atlas) -> Result<Vec<PetaDasarInfo>> {
    Ok(atlas
        .store
        .list_peta_dasar()
        .await?
        .into_iter()
        .map(PetaDasarInfo::from)
        .collect())
}

/// A tile of a kept basemap with its media type, in one read of the store; `NotFound`
/// names what is missing (the basemap, or the tile of one that exists).
pub async fn ubin(
    atlas: &Atlas,
    nama: &str,
    z: u8,
    x: u32,
    y: u32,
) -> Result<(&'static str, Vec<u8>)> {
    match atlas.store.peta_dasar_ubin(nama, z, x, y).await? {
        Some((format, data)) => {
            let media = Jenis::from_ekstensi(&format).map_or("image/png", Jenis::media_type);
            Ok((media, data))
        }
        None if atlas
            .store
            .list_peta_dasar()
            .await?
            .iter()
            .any(|p| p.nama == nama) =>
        {
            Err(AppError::NotFound(format!(
                "basemap {nama} has no tile {z}/{x}/{y}"
            )))
        }
        None => Err(AppError::NotFound(format!("basemap {nama} does not exist"))),
    }
}

/// Registers a basemap (replacing one of the same name) from a URL template or a raster
/// MBTiles/PMTiles file, in one transaction with its audit line.
pub async fn tambah(
    atlas: &Atlas,
    user: Option<&User>,
    sumber: &Sumber,
    cmd: &Tambah,
) -> Result<PetaDasarInfo> {
    let user = authorize(user, &Action::ImporBerkas)?;
    check_nama(&cmd.nama)?;
    let judul = check_teks("judul", cmd.judul.as_deref().unwrap_or(&cmd.nama))?;
    let batas = cmd.batas.map(check_batas).transpose()?;
    let audit = |sumber: &str| NewAudit {
        pengguna: user.username.clone(),
        entitas: PETA_DASAR_AUDIT_ENTITAS.to_owned(),
        kunci: cmd.nama.clone(),
        aksi: "tambah".to_owned(),
        sebelum: None,
        sesudah: Some(serde_json::json!({ "judul": judul, "sumber": sumber })),
    };
    let store = atlas.store.as_ref();
    let stored = match sumber {
        Sumber::Url(url) => {
            let format = check_url(url)?;
            let atribusi = check_teks("atribusi", cmd.atribusi.as_deref().unwrap_or(""))?;
            let (minzoom, maxzoom) = check_zoom(cmd.zoom.unwrap_or((0, 19)))?;
            let peta = PetaDasarBaru {
                nama: &cmd.nama,
                judul: &judul,
                jenis: JenisPetaDasar::Xyz,
                sumber: url,
                format: &format,
                atribusi: &atribusi,
                minzoom,
                maxzoom,
                batas,
                audit: audit(url),
            };
            store.save_peta_dasar(&peta, &mut Kosong).await?
        }
        Sumber::Berkas(path) => {
            let file_name = path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            // A GeoTIFF is cut into a temporary MBTiles first (with the `gdal` feature).
            let mut _cut = None;
            let mut source: Box<dyn SumberFile> = match ext.as_str() {
                "mbtiles" => Box::new(MbTiles::open(path).await?),
                "pmtiles" => Box::new(pmtiles(path).await?),
                "tif" | "tiff" => {
                    let (dir, mbtiles) = cut_raster(path).await?;
                    let source = MbTiles::open(&mbtiles).await?;
                    _cut = Some(dir);
                    Box::new(source)
                }
                _ => {
                    return Err(AppError::rule(format!(
                        "{}: a basemap file is a raster .mbtiles or .pmtiles, or a GeoTIFF (.tif) with the `gdal` feature",
                        path.display()
                    )));
                }
            };
            let meta = source.meta();
            if meta.jumlah == 0 {
                return Err(AppError::rule(format!("{file_name}: holds no tiles")));
            }
            let atribusi = check_teks(
                "atribusi",
                cmd.atribusi
                    .as_deref()
                    .or(meta.atribusi.as_deref())
                    .unwrap_or(""),
            )?;
            let batas = batas.or(meta.batas.and_then(|b| check_batas(b).ok()));
            let peta = PetaDasarBaru {
                nama: &cmd.nama,
                judul: &judul,
                jenis: JenisPetaDasar::Berkas,
                sumber: &file_name,
                format: &meta.format,
                atribusi: &atribusi,
                minzoom: 0,
                maxzoom: 0,
                batas,
                audit: audit(&file_name),
            };
            let mut bounded = Terbatas {
                inner: source.as_mut(),
                file: file_name.clone(),
                format: meta.format.clone(),
                tiles: 0,
                bytes: 0,
            };
            store.save_peta_dasar(&peta, &mut bounded).await?
        }
    };
    Ok(stored.into())
}

/// Cuts a GeoTIFF into a raster MBTiles in a new temporary directory, on the blocking
/// pool (see [`kumuh_io::ortofoto`]); the directory goes when it is dropped.
async fn cut_raster(path: &Path) -> Result<(tempfile::TempDir, std::path::PathBuf)> {
    let src = path.to_owned();
    crate::blocking(move || {
        let dir = tempfile::tempdir()
            .map_err(|e| AppError::internal(format!("a temporary directory: {e}")))?;
        let dst = dir.path().join("ortofoto.mbtiles");
        kumuh_io::ortofoto::ke_mbtiles(&src, &dst).map_err(AppError::rule)?;
        Ok((dir, dst))
    })
    .await
}

/// An offline package of a kept basemap: its tiles over an area as a raster PMTiles, for
/// the viewer's "Buka berkas PMTiles" beside the atlas package.
#[derive(Debug, Clone)]
pub struct PaketLuring {
    /// A file name for it: `kumuh-peta-dasar-NAMA[-KODE].pmtiles`.
    pub nama_berkas: String,
    /// The archive.
    pub bytes: Vec<u8>,
    /// Tiles in it.
    pub jumlah_ubin: usize,
}

/// Packs the tiles of kept basemap `nama` over place `wilayah` (its boundary's box; the
/// basemap's whole extent without one) at every zoom it has, within [`LURING_MAX_UBIN`]
/// tiles and [`LURING_MAX_BYTE`] bytes. A remote basemap is not packed: its tiles are
/// another server's.
pub async fn luring(atlas: &Atlas, nama: &str, wilayah: Option<&Kode>) -> Result<PaketLuring> {
    let list = atlas.store.list_peta_dasar().await?;
    let peta = list
        .into_iter()
        .find(|p| p.nama == nama)
        .ok_or_else(|| AppError::NotFound(format!("basemap {nama} does not exist")))?;
    if peta.jenis == JenisPetaDasar::Xyz {
        return Err(AppError::rule(format!(
            "basemap {nama} is a remote server's ({}); only a basemap kept in the atlas can be packed for offline use",
            peta.sumber
        )));
    }
    let area = match wilayah {
        Some(kode) => {
            let place = atlas
                .store
                .place(kode)
                .await?
                .ok_or_else(|| AppError::NotFound(format!("wilayah {kode} does not exist")))?;
            let b = place
                .geometry
                .as_ref()
                .and_then(kumuh_domain::geometry::bbox)
                .ok_or_else(|| invalid("wilayah", format!("{kode} has no boundary")))?;
            match peta.batas {
                Some(p) => [
                    b[0].max(p[0]),
                    b[1].max(p[1]),
                    b[2].min(p[2]),
                    b[3].min(p[3]),
                ],
                None => b,
            }
        }
        None => peta.batas.ok_or_else(|| {
            invalid(
                "wilayah",
                format!("basemap {nama} has no bounds; name the area"),
            )
        })?,
    };
    if area[0] > area[2] || area[1] > area[3] {
        return Err(invalid(
            "wilayah",
            format!(
                "basemap {nama} has no imagery over {}",
                wilayah.map_or("?", |k| k.as_str())
            ),
        ));
    }
    let mut tiles: Vec<Ubin> = Vec::new();
    let mut bytes = 0usize;
    for z in peta.minzoom..=peta.maxzoom {
        let corner = |lon: f64, lat: f64| {
            TileId::covering_lonlat(lon, lat, z).map_err(|e| AppError::internal(e.to_string()))
        };
        let (nw, se) = (corner(area[0], area[3])?, corner(area[2], area[1])?);
        let found = atlas
            .store
            .peta_dasar_ubin_kotak(nama, z, (nw.x(), se.x()), (nw.y(), se.y()))
            .await?;
        bytes += found.iter().map(|u| u.data.len()).sum::<usize>();
        tiles.extend(found);
        if tiles.len() > LURING_MAX_UBIN || bytes > LURING_MAX_BYTE {
            return Err(invalid(
                "wilayah",
                format!(
                    "the package would hold more than {LURING_MAX_UBIN} tiles or {} MiB; choose a smaller area",
                    LURING_MAX_BYTE >> 20
                ),
            ));
        }
    }
    if tiles.is_empty() {
        return Err(invalid(
            "wilayah",
            format!("basemap {nama} has no tiles over this area"),
        ));
    }
    let nama_berkas = match wilayah {
        Some(k) => format!("kumuh-peta-dasar-{nama}-{k}.pmtiles"),
        None => format!("kumuh-peta-dasar-{nama}.pmtiles"),
    };
    let jumlah_ubin = tiles.len();
    let bytes = crate::blocking(move || {
        use kumuh_tiles::pmtiles::{Compression, PmTilesOptions, PmTilesWriter, TileType};
        let tile_type = match peta.format.as_str() {
            "jpg" => TileType::Jpeg,
            "webp" => TileType::Webp,
            _ => TileType::Png,
        };
        let mut options = PmTilesOptions {
            tile_type,
            tile_compression: Compression::None,
            // The area packed, not the union of its tiles (a low zoom's tile spans far
            // beyond it): the viewer fits the map to these bounds.
            bounds_lonlat: Some(geo_types::Rect::new((area[0], area[1]), (area[2], area[3]))),
            ..Default::default()
        };
        options.metadata.insert("name".into(), peta.judul.clone());
        options
            .metadata
            .insert("attribution".into(), peta.atribusi.clone());
        options.metadata.insert("type".into(), "baselayer".into());
        let mut w = PmTilesWriter::new(options);
        for u in tiles {
            let id = TileId::new(u.z, u.x, u.y).map_err(|e| AppError::internal(e.to_string()))?;
            w.add_tile(id, u.data)
                .map_err(|e| AppError::internal(e.to_string()))?;
        }
        let mut out = Vec::new();
        w.finish(&mut out)
            .map_err(|e| AppError::internal(e.to_string()))?;
        Ok(out)
    })
    .await?;
    Ok(PaketLuring {
        nama_berkas,
        bytes,
        jumlah_ubin,
    })
}

/// Removes a basemap with its tiles.
pub async fn hapus(atlas: &Atlas, user: Option<&User>, nama: &str) -> Result<()> {
    let user = authorize(user, &Action::ImporBerkas)?;
    let audit = NewAudit {
        pengguna: user.username.clone(),
        entitas: PETA_DASAR_AUDIT_ENTITAS.to_owned(),
        kunci: nama.to_owned(),
        aksi: "hapus".to_owned(),
        sebelum: None,
        sesudah: None,
    };
    if atlas.store.delete_peta_dasar(nama, &audit).await? {
        Ok(())
    } else {
        Err(AppError::NotFound(format!("basemap {nama} does not exist")))
    }
}

/// What a file says of itself.
#[derive(Clone)]
struct Meta {
    format: String,
    jumlah: usize,
    atribusi: Option<String>,
    batas: Option<[f64; 4]>,
}

/// A basemap file: its metadata and its tiles.
trait SumberFile: SumberUbin {
    fn meta(&self) -> Meta;
}

impl SumberFile for MbTiles {
    fn meta(&self) -> Meta {
        Meta {
            format: self.format.clone(),
            jumlah: usize::try_from(self.jumlah_ubin).unwrap_or(usize::MAX),
            atribusi: self.atribusi.clone(),
            batas: self.batas,
        }
    }
}

/// No tiles: a remote basemap.
struct Kosong;

#[async_trait]
impl SumberUbin for Kosong {
    async fn berikut(&mut self) -> kumuh_store::Result<Option<Vec<Ubin>>> {
        Ok(None)
    }
}

/// A source held to the limits on tiles, each tile's size and the total.
struct Terbatas<'a> {
    inner: &'a mut dyn SumberFile,
    file: String,
    format: String,
    tiles: usize,
    bytes: u64,
}

#[async_trait]
impl SumberUbin for Terbatas<'_> {
    async fn berikut(&mut self) -> kumuh_store::Result<Option<Vec<Ubin>>> {
        let Some(batch) = self.inner.berikut().await? else {
            return Ok(None);
        };
        let refuse = |m: String| Err(StoreError::Invalid(format!("{}: {m}", self.file)));
        for u in &batch {
            if u.z > MAX_ZOOM {
                return refuse(format!(
                    "tile {}/{}/{}: zoom above {MAX_ZOOM}",
                    u.z, u.x, u.y
                ));
            }
            if !is_format(&u.data, &self.format) {
                return refuse(format!(
                    "tile {}/{}/{}: is not a {} image, as the file says its tiles are",
                    u.z, u.x, u.y, self.format
                ));
            }
            if u.data.len() > MAX_UBIN_BYTE {
                return refuse(format!(
                    "tile {}/{}/{}: {} bytes, more than the {MAX_UBIN_BYTE} a tile may have",
                    u.z,
                    u.x,
                    u.y,
                    u.data.len()
                ));
            }
        }
        self.tiles += batch.len();
        self.bytes += batch.iter().map(|u| u.data.len() as u64).sum::<u64>();
        if self.tiles > MAX_UBIN {
            return refuse(format!("more than {MAX_UBIN} tiles"));
        }
        if self.bytes > MAX_TOTAL_BYTE {
            return refuse(format!("more than {MAX_TOTAL_BYTE} bytes of tiles"));
        }
        Ok(Some(batch))
    }
}

/// Whether `data` is an image of `format` (`png`, `jpg`, `webp`) by its signature.
fn is_format(data: &[u8], format: &str) -> bool {
    sniff(data).is_some_and(|j| Some(j) == Jenis::from_ekstensi(format))
}

/// A raster PMTiles file read whole (it is at most [`MAX_PMTILES_BYTE`]), its tiles
/// handed over in batches.
struct PmTilesFile {
    bytes: Vec<u8>,
    tiles: Vec<(TileId, std::ops::Range<usize>)>,
    next: usize,
    meta: Meta,
}

async fn pmtiles(path: &Path) -> Result<PmTilesFile> {
    let path = path.to_owned();
    crate::blocking(move || {
        let shown = path.display().to_string();
        let bad = |m: String| AppError::rule(format!("{shown}: {m}"));
        let len = std::fs::metadata(&path)
            .map_err(|e| bad(format!("cannot be read: {e}")))?
            .len();
        if len > MAX_PMTILES_BYTE {
            return Err(bad(format!(
                "{len} bytes; a PMTiles basemap may have at most {MAX_PMTILES_BYTE} (an MBTiles file has no such limit)"
            )));
        }
        let bytes = std::fs::read(&path).map_err(|e| bad(format!("cannot be read: {e}")))?;
        let reader = PmTilesReader::new(&bytes).map_err(|e| bad(e.to_string()))?;
        let h = reader.header();
        let format = match h.tile_type {
            2 => "png",
            3 => "jpg",
            4 => "webp",
            1 => {
                return Err(bad(
                    "holds vector tiles; a basemap here is raster imagery (png, jpg or webp)".into(),
                ));
            }
            t => return Err(bad(format!("tile type {t} is not png, jpg or webp"))),
        };
        let atribusi = reader.metadata().ok().and_then(|m| {
            serde_json::from_str::<serde_json::Value>(&m)
                .ok()?
                .get("attribution")?
                .as_str()
                .map(str::to_owned)
        });
        let tiles = reader
            .all_tiles(MAX_UBIN + 1)
            .map_err(|e| bad(e.to_string()))?;
        let meta = Meta {
            format: format.to_owned(),
            jumlah: tiles.len(),
            atribusi,
            batas: Some(h.bounds_lonlat),
        };
        Ok(PmTilesFile {
            tiles,
            next: 0,
            meta,
            bytes,
        })
    })
    .await
}

impl SumberFile for PmTilesFile {
    fn meta(&self) -> Meta {
        self.meta.clone()
    }
}

#[async_trait]
impl SumberUbin for PmTilesFile {
    async fn berikut(&mut self) -> kumuh_store::Result<Option<Vec<Ubin>>> {
        let end = (self.next + BATCH).min(self.tiles.len());
        if self.next >= end {
            return Ok(None);
        }
        let batch = self.tiles[self.next..end]
            .iter()
            .map(|(t, r)| Ubin {
                z: t.z(),
                x: t.x(),
                y: t.y(),
                data: self.bytes[r.clone()].to_vec(),
            })
            .collect();
        self.next = end;
        Ok(Some(batch))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_template_needs_https_and_z_x_y() {
        assert_eq!(
            check_url("https://t.example.org/{z}/{x}/{y}.jpg").unwrap(),
            "jpg"
        );
        assert_eq!(
            check_url("https://t.example.org/{z}/{x}/{y}?k=1").unwrap(),
            "png"
        );
        for bad in [
            "ftp://t.example.org/{z}/{x}/{y}.png",
            "https://t.example.org/{z}/{x}.png",
            "https://t.example.org/{z}/{x}/{y}.png\" onerror=\"x",
            "javascript:alert(1)//{z}{x}{y}",
        ] {
            let e = check_url(bad).unwrap_err().to_string();
            assert!(e.contains("url"), "{bad}: {e}");
        }
    }

    #[test]
    fn names_are_short_lower_case_codes() {
        assert!(check_nama("drone-bibrik-2024").is_ok());
        for bad in ["", "Drone", "a b", "-x", &"x".repeat(MAX_NAMA + 1), "../x"] {
            assert!(check_nama(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn zooms_and_bounds_are_checked() {
        assert!(check_zoom((3, 2)).is_err());
        assert!(check_zoom((0, MAX_ZOOM + 1)).is_err());
        assert!(check_batas([111.0, -7.0, 112.0, -8.0]).is_err());
        assert!(check_batas([111.0, -8.0, 112.0, -7.0]).is_ok());
    }
}
