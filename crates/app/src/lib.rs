//! The use cases of the atlas, one function each, between the transports (the HTTP API in
//! `kumuh-server`, the `kumuh` command line) and the store.
//!
//! A use case takes an [`Atlas`] (the store and the tile service), the acting user where
//! it changes anything, and a typed command (with the version it was read at, where the
//! record is versioned); it answers a typed result, with warnings where the change went
//! through but something deserves a look, or one [`AppError`]. Authorization happens
//! here, through [`kumuh_domain::authorize`]; the transports only say who is calling and
//! translate.
//!
//! This is the only crate that writes through [`Store`].

pub mod assessments;
pub mod audit;
pub mod dokumen;
pub mod ekspor;
mod error;
pub mod foto;
pub mod impor;
pub mod laporan;
pub mod luring;
pub mod personal;
pub mod peta_dasar;
pub mod places;
pub mod publik;
pub mod seed;
pub mod siteplan;
pub mod skenario;
pub mod tiles;
pub mod upk;
pub mod users;
pub mod versioned;
pub mod works;

use std::sync::Arc;

use kumuh_store::Store;

pub use error::{AppError, Result};

/// What every use case works on: the store and the vector tiles drawn from it.
#[derive(Debug, Clone)]
pub struct Atlas {
    /// The store.
    pub store: Arc<dyn Store>,
    /// The vector tile layers and their cache; every change through a use case updates
    /// them before it answers.
    pub tiles: Arc<tiles::Tiles>,
    /// The limits between a loan's kolektibilitas classes the UPK reports use (the shipped
    /// `upk-angsuran` unless the district chose its own: `kumuh serve --kolektibilitas`).
    pub kolektibilitas: Arc<kumuh_domain::upk::AturanKolektibilitas>,
}

impl Atlas {
    /// An atlas on `store` with empty tile layers (for work that draws no map).
    pub fn new(store: Arc<dyn Store>) -> Atlas {
        Atlas {
            store,
            tiles: Arc::new(
                tiles::Tiles::empty(0).unwrap_or_else(|e| unreachable!("default options: {e}")),
            ),
            kolektibilitas: Arc::new(kumuh_domain::upk::AturanKolektibilitas::bawaan()),
        }
    }

    /// The same atlas with the district's own kolektibilitas limits.
    pub fn with_kolektibilitas(
        mut self,
        aturan: Arc<kumuh_domain::upk::AturanKolektibilitas>,
    ) -> Atlas {
        self.kolektibilitas = aturan;
        self
    }

    /// An atlas whose tile layers are built from the store, with a cache of
    /// `tile_cache_bytes` of gzipped tiles.
    pub async fn open(
        store: Arc<dyn Store>,
        tile_cache_bytes: usize,
    ) -> std::result::Result<Atlas, tiles::TilesError> {
        let tiles = tiles::Tiles::load(store.as_ref(), tile_cache_bytes).await?;
        Ok(Atlas {
            store,
            tiles: Arc::new(tiles),
            kolektibilitas: Arc::new(kumuh_domain::upk::AturanKolektibilitas::bawaan()),
        })
    }
}

/// Runs CPU-heavy work on tokio's blocking pool and waits for it: checks and geodesic
/// measures of posted geometry, reports, exports, anything that grows with the size of
/// its input. On an async worker such work would stall every request on that worker,
/// and the server's request timeout could not answer until it ended; here the caller
/// only awaits, so the timeout answers on time and other requests go on. Work left by a
/// request that timed out runs to its end and its result is dropped.
///
/// Every use case sends its heavy parts through this one function.
pub async fn blocking<T, F>(work: F) -> Result<T>
where
    F: FnOnce() -> Result<T> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AppError::internal(format!("background work failed: {e}")))?
}

/// The signed-in user allowed to do `action`, or why not.
pub(crate) fn authorize(
    user: Option<&kumuh_domain::User>,
    action: &kumuh_domain::Action,
) -> Result<kumuh_domain::User> {
    kumuh_domain::authorize(user, action)?;
    user.cloned()
        .ok_or_else(|| AppError::Unauthenticated("sign in first".into()))
}

/// The id of a new record of a desa: the one the caller chose, or `{prefix}-{kode_desa}-`
/// and eight random characters.
pub(crate) fn new_id(
    chosen: Option<String>,
    prefix: &str,
    kode_desa: &kumuh_domain::Kode,
) -> Result<String> {
    match chosen {
        Some(id) => Ok(id),
        None => {
            let token = users::new_token().map_err(AppError::Internal)?;
            Ok(format!("{prefix}-{kode_desa}-{}", &token[..8]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_id_keeps_a_chosen_id_and_makes_one_otherwise() {
        let desa = kumuh_domain::Kode::parse("35.19.09.2014").unwrap();
        assert_eq!(new_id(Some("K1".into()), "K", &desa).unwrap(), "K1");
        let made = new_id(None, "SP", &desa).unwrap();
        assert!(made.starts_with("SP-35.19.09.2014-"), "{made}");
        assert_eq!(made.len(), "SP-35.19.09.2014-".len() + 8);
    }
}
