//! WebRTC signalling for remote notarization sessions: a relay, per application, between the
//! applicant's browser and the notary's. The server reads nothing of what it relays (SDP
//! offers and answers, ICE candidates: opaque JSON text up to [`MAX_MESSAGE`]); it only says
//! who is there. No third-party service is involved; media flows browser to browser (through
//! a TURN server only if one is configured).
//!
//! Each side has one seat in a room: a second connection of the same side (a reload) takes
//! the seat and the first is closed. The hub is in memory on the node: both browsers of a
//! session must reach the same node (one node, or sticky routing by application).

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::ws::{Message, Utf8Bytes, WebSocket};
use futures_util::{SinkExt, StreamExt};
use tokio::sync::mpsc;

/// The largest message relayed (an SDP offer with many candidates is a few KiB).
pub const MAX_MESSAGE: usize = 64 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    Applicant,
    Notary,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Applicant => "applicant",
            Side::Notary => "notary",
        }
    }

    fn other(self) -> Side {
        match self {
            Side::Applicant => Side::Notary,
            Side::Notary => Side::Applicant,
        }
    }
}

type Outbox = mpsc::UnboundedSender<Utf8Bytes>;

struct Seat {
    peer: u64,
    out: Outbox,
}

#[derive(Default)]
struct Room {
    seats: HashMap<Side, Seat>,
}

/// The rooms of this node.
#[derive(Default)]
pub struct Hub {
    rooms: Mutex<HashMap<String, Room>>,
    next_peer: AtomicU64,
}

fn presence(side: Side, present: bool) -> Utf8Bytes {
    serde_json::json!({"type": "peer", "side": side.as_str(), "present": present})
        .to_string()
        .into()
}

impl Hub {
    fn rooms(&self) -> std::sync::MutexGuard<'_, HashMap<String, Room>> {
        // A panic while holding the lock leaves plain maps behind: still usable.
        self.rooms
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Takes `side`'s seat in `room` (closing whoever held it): the peer's id and what it
    /// will receive. It is told whether the other side is there; the other side is told it
    /// arrived.
    pub fn join(&self, room: &str, side: Side) -> (u64, mpsc::UnboundedReceiver<Utf8Bytes>) {
        let peer = self.next_peer.fetch_add(1, Ordering::Relaxed);
        let (out, inbox) = mpsc::unbounded_channel();
        let mut rooms = self.rooms();
        let r = rooms.entry(room.to_owned()).or_default();
        let other_present = r.seats.contains_key(&side.other());
        let welcome = serde_json::json!({
            "type": "welcome", "side": side.as_str(), "peer_present": other_present
        });
        let _ = out.send(welcome.to_string().into());
        // Dropping the old seat's sender ends its connection's writer.
        r.seats.insert(side, Seat { peer, out });
        if let Some(other) = r.seats.get(&side.other()) {
            let _ = other.out.send(presence(side, true));
        }
        (peer, inbox)
    }

    /// Relays `text` from `peer` (on `side`) to the other side; `false` if the other side is
    /// not there (or `peer` lost its seat).
    pub fn relay(&self, room: &str, side: Side, peer: u64, text: Utf8Bytes) -> bool {
        let rooms = self.rooms();
        let Some(r) = rooms.get(room) else {
            return false;
        };
        if r.seats.get(&side).map(|s| s.peer) != Some(peer) {
            return false;
        }
        r.seats
            .get(&side.other())
            .is_some_and(|other| other.out.send(text).is_ok())
    }

    /// `peer` left: frees its seat (if still its own) and tells the other side.
    pub fn leave(&self, room: &str, side: Side, peer: u64) {
        let mut rooms = self.rooms();
        let Some(r) = rooms.get_mut(room) else {
            return;
        };
        if r.seats.get(&side).map(|s| s.peer) == Some(peer) {
            r.seats.remove(&side);
            if let Some(other) = r.seats.get(&side.other()) {
                let _ = other.out.send(presence(side, false));
            }
        }
        if r.seats.is_empty() {
            rooms.remove(room);
        }
    }

    /// Ends a room: its sockets close (the session is no longer booked: held, refused,
    /// withdrawn). Dropping a seat's sender ends its connection's writer.
    pub fn close(&self, room: &str) {
        self.rooms().remove(room);
    }

    /// Rooms with at least one browser in them.
    pub fn rooms_open(&self) -> usize {
        self.rooms().len()
    }

    /// Serves one browser's socket until it closes: what it sends goes to the other side,
    /// what the other side sends comes to it.
    pub async fn serve(&self, room: String, side: Side, socket: WebSocket) {
        let (peer, mut inbox) = self.join(&room, side);
        let (mut sink, mut stream) = socket.split();
        let writer = async move {
            // What queued meanwhile goes out in one write: under a burst, a flush (a syscall)
            // per message is what made the tail.
            'open: while let Some(text) = inbox.recv().await {
                if sink.feed(Message::Text(text)).await.is_err() {
                    break;
                }
                while let Ok(more) = inbox.try_recv() {
                    if sink.feed(Message::Text(more)).await.is_err() {
                        break 'open;
                    }
                }
                if sink.flush().await.is_err() {
                    break;
                }
            }
            let _ = sink.close().await;
        };
        let reader = async {
            while let Some(Ok(message)) = stream.next().await {
                match message {
                    Message::Text(text) if text.len() <= MAX_MESSAGE => {
                        self.relay(&room, side, peer, text);
                    }
                    Message::Close(_) => break,
                    // Binary frames and pings carry nothing to relay.
                    _ => {}
                }
            }
        };
        tokio::select! {
            _ = writer => {}
            _ = reader => {}
        }
        self.leave(&room, side, peer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn next(rx: &mut mpsc::UnboundedReceiver<Utf8Bytes>) -> serde_json::Value {
        serde_json::from_str(rx.try_recv().expect("a message").as_str()).unwrap()
    }

    #[test]
    fn each_side_hears_only_the_other_and_presence_is_announced() {
        let hub = Hub::default();
        let (n, mut notary) = hub.join("m1", Side::Notary);
        assert_eq!(next(&mut notary)["peer_present"], false);
        assert!(
            !hub.relay("m1", Side::Notary, n, "offer".into()),
            "nobody to hear it"
        );
        let (a, mut applicant) = hub.join("m1", Side::Applicant);
        assert_eq!(next(&mut applicant)["peer_present"], true);
        assert_eq!(next(&mut notary)["present"], true);
        assert!(hub.relay("m1", Side::Notary, n, "{\"sdp\":1}".into()));
        assert_eq!(applicant.try_recv().unwrap().as_str(), "{\"sdp\":1}");
        assert!(notary.try_recv().is_err(), "no echo to the sender");
        hub.leave("m1", Side::Applicant, a);
        assert_eq!(next(&mut notary)["present"], false);
        hub.leave("m1", Side::Notary, n);
        assert_eq!(hub.rooms_open(), 0);
    }

    #[test]
    fn a_closed_room_ends_its_connections() {
        let hub = Hub::default();
        let (_n, mut notary) = hub.join("m1", Side::Notary);
        let _ = notary.try_recv();
        hub.close("m1");
        assert!(matches!(
            notary.try_recv(),
            Err(mpsc::error::TryRecvError::Disconnected)
        ));
        assert_eq!(hub.rooms_open(), 0);
    }

    #[test]
    fn rooms_are_apart_and_a_reconnect_takes_the_seat() {
        let hub = Hub::default();
        let (n1, _notary1) = hub.join("m1", Side::Notary);
        let (_a2, mut other_room) = hub.join("m2", Side::Applicant);
        let _ = other_room.try_recv();
        let (_a1, mut applicant) = hub.join("m1", Side::Applicant);
        let _ = applicant.try_recv();
        assert!(hub.relay("m1", Side::Notary, n1, "x".into()));
        assert_eq!(applicant.try_recv().unwrap().as_str(), "x");
        assert!(
            other_room.try_recv().is_err(),
            "another application's room hears nothing"
        );
        let (n2, mut notary2) = hub.join("m1", Side::Notary);
        let _ = notary2.try_recv();
        assert!(
            !hub.relay("m1", Side::Notary, n1, "stale".into()),
            "the old seat is gone"
        );
        assert!(hub.relay("m1", Side::Notary, n2, "fresh".into()));
        let _ = applicant.try_recv(); // presence of the reconnect
        assert_eq!(applicant.try_recv().unwrap().as_str(), "fresh");
        // The old connection leaving does not free the new one's seat.
        hub.leave("m1", Side::Notary, n1);
        assert!(hub.relay("m1", Side::Notary, n2, "still".into()));
    }
}
