//! Photos that document a segment's progress (foto dokumentasi): which stage of the work
//! a photo shows.
//!
//! The photos themselves (bytes, thumbnails, EXIF) are for the io and store crates; the
//! domain only knows the stages a programme reports on: before the work starts (0 %),
//! half way (50 %), finished (100 %), and photos taken at any other time (`bebas`).

define_code! {
    /// The stage of a segment a photo documents (tahap): the programme's 0 %, 50 % and
    /// 100 % photos, or a free one.
    pub enum Tahap {
        /// Before the work starts (0 %).
        Nol = "0",
        /// Half way (50 %).
        Tengah = "50",
        /// Finished (100 %).
        Selesai = "100",
        /// Any other time (bebas: free).
        Bebas = "bebas",
    }
}

impl Tahap {
    /// How pages print the stage: `0%`, `50%`, `100%`, `Bebas`.
    pub fn label(self) -> &'static str {
        match self {
            Tahap::Nol => "0%",
            Tahap::Tengah => "50%",
            Tahap::Selesai => "100%",
            Tahap::Bebas => "Bebas",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_read_from_their_codes_and_refuse_others() {
        assert_eq!("50".parse::<Tahap>().unwrap(), Tahap::Tengah);
        assert_eq!(Tahap::Bebas.as_str(), "bebas");
        assert_eq!(Tahap::Tengah.label(), "50%");
        assert_eq!(Tahap::Bebas.label(), "Bebas");
        assert_eq!(Tahap::CODES, ["0", "50", "100", "bebas"]);
        let e = "75".parse::<Tahap>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown variant `75`, expected one of `0`, `50`, `100`, `bebas`"
        );
    }
}
