//! The statuses an outreach line can carry, in the order a request usually goes through them.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where one (subject, candidate) pair stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Put on an outreach list (nobody written to yet).
    Listed,
    /// Written to or called.
    Contacted,
    /// The candidate answered.
    Replied,
    /// A meeting took place or is set.
    Meeting,
    /// A data-use application was submitted.
    Applied,
    /// The data-use committee or the partner said yes.
    Approved,
    /// The data-use committee or the partner said no.
    Declined,
    /// Nothing more to do.
    Closed,
}

impl Status {
    /// Every status, in the usual order of a request.
    pub const ALL: [Status; 8] = [
        Status::Listed,
        Status::Contacted,
        Status::Replied,
        Status::Meeting,
        Status::Applied,
        Status::Approved,
        Status::Declined,
        Status::Closed,
    ];

    /// The name written in the log and typed on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Listed => "listed",
            Status::Contacted => "contacted",
            Status::Replied => "replied",
            Status::Meeting => "meeting",
            Status::Applied => "applied",
            Status::Approved => "approved",
            Status::Declined => "declined",
            Status::Closed => "closed",
        }
    }

    /// True when the line records that the candidate was actually reached (everything from
    /// `contacted` to `declined`): being listed is not a contact, nor is closing a pair.
    pub fn is_contact(self) -> bool {
        !matches!(self, Status::Listed | Status::Closed)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A word that is not a status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a status; use one of listed, contacted, replied, meeting, applied, approved, declined, closed")]
pub struct UnknownStatus(pub String);

impl FromStr for Status {
    type Err = UnknownStatus;
    fn from_str(s: &str) -> Result<Status, UnknownStatus> {
        let wanted = s.trim().to_ascii_lowercase();
        Status::ALL
            .into_iter()
            .find(|st| st.as_str() == wanted)
            .ok_or_else(|| UnknownStatus(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_through_their_names() {
        for status in Status::ALL {
            assert_eq!(status.as_str().parse::<Status>(), Ok(status));
            assert_eq!(
                serde_json::to_string(&status).unwrap_or_default(),
                format!("\"{status}\"")
            );
        }
        assert_eq!(" Contacted ".parse::<Status>(), Ok(Status::Contacted));
        assert!("phoned".parse::<Status>().is_err());
    }

    #[test]
    fn listing_and_closing_are_not_contacts() {
        let contacts: Vec<Status> = Status::ALL.into_iter().filter(|s| s.is_contact()).collect();
        assert_eq!(
            contacts,
            [
                Status::Contacted,
                Status::Replied,
                Status::Meeting,
                Status::Applied,
                Status::Approved,
                Status::Declined
            ]
        );
    }
}
