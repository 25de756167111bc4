//! Where a siteplan stands: draft, proposed, adopted, and the steps between them.

use crate::siteplan::error::{Result, SiteplanError};

define_code! {
    /// Where a siteplan stands in the village's planning.
    ///
    /// The life cycle, and why:
    ///
    /// | from | may become |
    /// |---|---|
    /// | `draf` (draft) | `diusulkan` |
    /// | `diusulkan` (proposed) | `ditetapkan`, `draf` |
    /// | `ditetapkan` (adopted) | `draf` |
    ///
    /// The LKM draws a draft and proposes it (to the village deliberation, musyawarah
    /// desa). A proposal is adopted, or sent back to draft for changes. An adopted plan is
    /// revised by taking it back to draft and going through proposal and adoption again,
    /// so that what is adopted has always been proposed first. Features change only in
    /// draft ([`Siteplan::save`], [`Siteplan::restore`]): what was proposed is what gets
    /// adopted, and every status change records the version it applied to
    /// ([`PerubahanHeader::pada_versi`]).
    ///
    /// # Examples
    /// ```
    /// use kumuh_domain::siteplan::StatusSiteplan;
    /// let s: StatusSiteplan = "proposed".parse().unwrap();
    /// assert_eq!(s, StatusSiteplan::Diusulkan);
    /// assert_eq!(s.label_id(), "Diusulkan");
    /// assert!(s.can_become(StatusSiteplan::Ditetapkan));
    /// assert!(!StatusSiteplan::Draf.can_become(StatusSiteplan::Ditetapkan));
    /// ```
    pub enum StatusSiteplan {
        /// Draf: being drawn by the LKM.
        Draf = "draf",
        /// Diusulkan: proposed, waiting for the village's decision.
        Diusulkan = "diusulkan",
        /// Ditetapkan: adopted.
        Ditetapkan = "ditetapkan",
    }
    from_str: StatusSiteplan::parse => SiteplanError;
    try_from: StatusSiteplan::parse => SiteplanError;
}

impl StatusSiteplan {
    /// A label for people, in Bahasa Indonesia.
    pub fn label_id(self) -> &'static str {
        match self {
            StatusSiteplan::Draf => "Draf",
            StatusSiteplan::Diusulkan => "Diusulkan",
            StatusSiteplan::Ditetapkan => "Ditetapkan",
        }
    }

    /// A label for people, in English.
    pub fn label_en(self) -> &'static str {
        match self {
            StatusSiteplan::Draf => "Draft",
            StatusSiteplan::Diusulkan => "Proposed",
            StatusSiteplan::Ditetapkan => "Adopted",
        }
    }

    /// The statuses that may follow this one (see the type's table).
    pub fn next(self) -> &'static [StatusSiteplan] {
        use StatusSiteplan as S;
        match self {
            S::Draf => &[S::Diusulkan],
            S::Diusulkan => &[S::Ditetapkan, S::Draf],
            S::Ditetapkan => &[S::Draf],
        }
    }

    /// Whether the life cycle allows going from this status to `to`.
    pub fn can_become(self, to: StatusSiteplan) -> bool {
        self.next().contains(&to)
    }

    /// Reads a status from its id or English label, ignoring case and surrounding
    /// spaces.
    pub fn parse(text: &str) -> Result<StatusSiteplan> {
        let t = text.trim().to_lowercase();
        StatusSiteplan::ALL
            .into_iter()
            .find(|s| t == s.as_str() || t == s.label_en().to_lowercase())
            .ok_or_else(|| SiteplanError::UnknownStatus {
                value: text.to_owned(),
            })
    }
}
