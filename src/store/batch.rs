//! Several changes in one transaction: a roster import is one journal entry per room (so
//! the log reads naturally and each room can be undone), yet the whole file lands or none
//! of it does.

use rusqlite::TransactionBehavior;

use super::write::{Change, commit_in};
use super::{Store, StoreError};

impl Store {
    /// Commits every change through the one write path inside a single transaction and
    /// returns their ids. On any error nothing is written.
    pub fn commit_all(&mut self, changes: Vec<Change>) -> Result<Vec<String>, StoreError> {
        let device = self.device.clone();
        let author = self.author.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut ids = Vec::with_capacity(changes.len());
        for change in changes.iter().filter(|c| !c.edits.is_empty()) {
            ids.push(commit_in(&tx, &device, &author, change)?);
        }
        tx.commit()?;
        Ok(ids)
    }
}
