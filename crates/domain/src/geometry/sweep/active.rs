//! The ordered set of edges the sweep line crosses, as a treap (a binary search tree
//! kept balanced by random priorities) in one vector.
//!
//! The sweep needs, at every event, an edge's place in the set and its two neighbours
//! there. An ordered set of the standard library finds them in three searches (the edge
//! before, the edge after, then the insertion or removal), each comparing an edge with
//! about forty others in a set of 100,000 (its nodes are searched linearly). Here one
//! descent does all three: the last node passed on the left and on the right on the way
//! down are the neighbours. Keeping the order a function of the sweep position passed in
//! (rather than kept in a thread-local) lets it be computed without a lookup.

use std::cmp::Ordering;

/// No node.
const NIL: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
struct Node<T> {
    item: T,
    left: u32,
    right: u32,
    priority: u32,
}

/// Items ordered by a comparison given with each call (the sweep's order depends on
/// where the sweep stands); every call of one event passes the same one.
#[derive(Debug)]
pub(super) struct ActiveSet<T> {
    nodes: Vec<Node<T>>,
    free: Vec<u32>,
    root: u32,
    seed: u32,
    len: usize,
}

impl<T: Copy> ActiveSet<T> {
    /// An empty set with room for `capacity` items.
    pub fn with_capacity(capacity: usize) -> Self {
        ActiveSet {
            nodes: Vec::with_capacity(capacity),
            free: Vec::new(),
            root: NIL,
            seed: 0x9E37_79B9,
            len: 0,
        }
    }

    /// How many items the set holds.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.len
    }

    fn priority(&mut self) -> u32 {
        // xorshift32: the shape of the tree only needs to be unrelated to the order.
        let mut x = self.seed;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.seed = x;
        x
    }

    fn node(&self, i: u32) -> &Node<T> {
        &self.nodes[i as usize]
    }

    fn node_mut(&mut self, i: u32) -> &mut Node<T> {
        &mut self.nodes[i as usize]
    }

    /// Inserts `item`, which `cmp` orders against every item in the set, and gives the
    /// items just before and just after it.
    pub fn insert(&mut self, item: T, cmp: &impl Fn(&T, &T) -> Ordering) -> (Option<T>, Option<T>) {
        let priority = self.priority();
        let node = Node {
            item,
            left: NIL,
            right: NIL,
            priority,
        };
        let new = match self.free.pop() {
            Some(i) => {
                self.nodes[i as usize] = node;
                i
            }
            None => {
                self.nodes.push(node);
                (self.nodes.len() - 1) as u32
            }
        };
        let mut before = None;
        let mut after = None;
        self.root = self.insert_at(self.root, new, cmp, &mut before, &mut after);
        self.len += 1;
        (before, after)
    }

    fn insert_at(
        &mut self,
        at: u32,
        new: u32,
        cmp: &impl Fn(&T, &T) -> Ordering,
        before: &mut Option<T>,
        after: &mut Option<T>,
    ) -> u32 {
        if at == NIL {
            return new;
        }
        let here = self.node(at).item;
        if cmp(&self.node(new).item, &here) == Ordering::Less {
            *after = Some(here);
            let left = self.insert_at(self.node(at).left, new, cmp, before, after);
            self.node_mut(at).left = left;
            if self.node(left).priority > self.node(at).priority {
                return self.rotate_right(at);
            }
        } else {
            *before = Some(here);
            let right = self.insert_at(self.node(at).right, new, cmp, before, after);
            self.node_mut(at).right = right;
            if self.node(right).priority > self.node(at).priority {
                return self.rotate_left(at);
            }
        }
        at
    }

    fn rotate_right(&mut self, at: u32) -> u32 {
        let left = self.node(at).left;
        self.node_mut(at).left = self.node(left).right;
        self.node_mut(left).right = at;
        left
    }

    fn rotate_left(&mut self, at: u32) -> u32 {
        let right = self.node(at).right;
        self.node_mut(at).right = self.node(right).left;
        self.node_mut(right).left = at;
        right
    }

    /// Removes the item `cmp` finds equal to `item` and gives the items that were just
    /// before and just after it, or `None` if the search does not find it (the order
    /// broke down).
    #[allow(clippy::type_complexity)]
    pub fn remove(
        &mut self,
        item: &T,
        cmp: &impl Fn(&T, &T) -> Ordering,
    ) -> Option<(Option<T>, Option<T>)> {
        let mut before = None;
        let mut after = None;
        let mut found = NIL;
        let mut at = self.root;
        while at != NIL {
            let here = self.node(at);
            match cmp(item, &here.item) {
                Ordering::Less => {
                    after = Some(here.item);
                    at = here.left;
                }
                Ordering::Greater => {
                    before = Some(here.item);
                    at = here.right;
                }
                Ordering::Equal => {
                    found = at;
                    break;
                }
            }
        }
        if found == NIL {
            return None;
        }
        let (left, right) = (self.node(found).left, self.node(found).right);
        if left != NIL {
            let mut i = left;
            while self.node(i).right != NIL {
                i = self.node(i).right;
            }
            before = Some(self.node(i).item);
        }
        if right != NIL {
            let mut i = right;
            while self.node(i).left != NIL {
                i = self.node(i).left;
            }
            after = Some(self.node(i).item);
        }
        self.root = self.remove_at(self.root, found, item, cmp);
        self.free.push(found);
        self.len -= 1;
        Some((before, after))
    }

    fn remove_at(
        &mut self,
        at: u32,
        found: u32,
        item: &T,
        cmp: &impl Fn(&T, &T) -> Ordering,
    ) -> u32 {
        if at == found {
            let (left, right) = (self.node(at).left, self.node(at).right);
            return self.merge(left, right);
        }
        if cmp(item, &self.node(at).item) == Ordering::Less {
            let left = self.remove_at(self.node(at).left, found, item, cmp);
            self.node_mut(at).left = left;
        } else {
            let right = self.remove_at(self.node(at).right, found, item, cmp);
            self.node_mut(at).right = right;
        }
        at
    }

    /// Joins two trees whose items are all ordered `a` before `b`.
    fn merge(&mut self, a: u32, b: u32) -> u32 {
        if a == NIL {
            return b;
        }
        if b == NIL {
            return a;
        }
        if self.node(a).priority > self.node(b).priority {
            let right = self.merge(self.node(a).right, b);
            self.node_mut(a).right = right;
            a
        } else {
            let left = self.merge(a, self.node(b).left);
            self.node_mut(b).left = left;
            b
        }
    }

    /// Every item, in order.
    pub fn items(&self) -> Vec<T> {
        let mut out = Vec::with_capacity(self.len);
        let mut stack = Vec::new();
        let mut at = self.root;
        while at != NIL || !stack.is_empty() {
            while at != NIL {
                stack.push(at);
                at = self.node(at).left;
            }
            if let Some(i) = stack.pop() {
                out.push(self.node(i).item);
                at = self.node(i).right;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbours_and_order_follow_a_sorted_list() {
        let cmp = |a: &u32, b: &u32| a.cmp(b);
        let mut set = ActiveSet::with_capacity(8);
        let mut sorted: Vec<u32> = Vec::new();
        let mut x: u32 = 12345;
        for step in 0..5_000u32 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            let v = x % 1_000;
            let pos = sorted.partition_point(|&s| s < v);
            if step % 3 == 2 && pos < sorted.len() && sorted[pos] == v {
                let expected = (
                    pos.checked_sub(1).map(|p| sorted[p]),
                    sorted.get(pos + 1).copied(),
                );
                assert_eq!(set.remove(&v, &cmp), Some(expected));
                sorted.remove(pos);
            } else if pos == sorted.len() || sorted[pos] != v {
                let expected = (
                    pos.checked_sub(1).map(|p| sorted[p]),
                    sorted.get(pos).copied(),
                );
                assert_eq!(set.insert(v, &cmp), expected);
                sorted.insert(pos, v);
            }
            assert_eq!(set.len(), sorted.len());
        }
        assert_eq!(set.items(), sorted);
        assert_eq!(set.remove(&1_001, &cmp), None);
    }
}
