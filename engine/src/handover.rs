//! Partitions handed over in a rebalance: given up by one consumer (revoked, or lost when
//! its membership was fenced) and not yet given to anyone. The stage draws them as waiting
//! for an owner, which is what tells an eager rebalance (every partition given up at once)
//! from a cooperative one (only the partitions that move).

use std::sync::Arc;

use crate::collections::Map;
use crate::topic::Tp;

/// Who gave up each partition that nobody owns again yet.
#[derive(Clone, Debug, Default)]
pub(crate) struct Handovers {
    given_up: Map<Tp, Arc<str>>,
}

impl Handovers {
    /// `consumer` gave up `tps`.
    pub fn given_up(&mut self, consumer: &Arc<str>, tps: &[Tp]) {
        for tp in tps {
            self.given_up.insert(*tp, consumer.clone());
        }
    }

    /// Someone was given `tps`: they wait for no owner any more.
    pub fn assigned(&mut self, tps: &[Tp]) {
        for tp in tps {
            self.given_up.remove(tp);
        }
    }

    /// `consumer` stopped or left: what it gave up is no longer its story to tell.
    pub fn gone(&mut self, consumer: &str) {
        self.given_up.retain(|_, c| &**c != consumer);
    }

    /// The partitions `consumer` gave up that nobody owns yet, in partition order.
    pub fn of<'a>(&'a self, consumer: &'a str) -> impl Iterator<Item = Tp> + 'a {
        self.given_up
            .iter()
            .filter(move |(_, c)| &***c == consumer)
            .map(|(tp, _)| *tp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::PartitionId;
    use crate::topic::TopicId;

    fn tp(p: u32) -> Tp {
        Tp {
            topic: TopicId(0),
            partition: PartitionId(p),
        }
    }

    #[test]
    fn a_partition_waits_for_an_owner_until_someone_is_given_it() {
        let (c1, c2): (Arc<str>, Arc<str>) = ("c1".into(), "c2".into());
        let mut h = Handovers::default();
        h.given_up(&c1, &[tp(0), tp(1)]);
        assert_eq!(h.of("c1").collect::<Vec<_>>(), vec![tp(0), tp(1)]);
        h.assigned(&[tp(1)]);
        assert_eq!(h.of("c1").collect::<Vec<_>>(), vec![tp(0)]);
        // Given up again by its next owner: it is that owner's to hand over now.
        h.given_up(&c2, &[tp(0)]);
        assert_eq!(h.of("c1").count(), 0);
        assert_eq!(h.of("c2").collect::<Vec<_>>(), vec![tp(0)]);
        h.gone("c2");
        assert_eq!(h.of("c2").count(), 0);
    }
}
