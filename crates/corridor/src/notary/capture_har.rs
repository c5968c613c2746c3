//! HAR 1.2 (the HTTP Archive format) from the Chrome DevTools Network domain's events: every
//! request the captured page made, paired with its response, in the order sent, with sizes,
//! timings, the server's address and the error of a request that failed or was refused.

use std::collections::BTreeMap;

use serde_json::{Value, json};

/// HAR 1.2 from the Network domain's events (requests in the order sent).
pub(super) fn har(events: &[Value], browser: &Value, page_url: &str, started: &str) -> Value {
    let mut entries: BTreeMap<String, Value> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let headers = |h: &Value| -> Vec<Value> {
        h.as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| json!({"name": k, "value": v.as_str().unwrap_or_default()}))
                    .collect()
            })
            .unwrap_or_default()
    };
    for e in events {
        let p = &e["params"];
        let Some(id) = p["requestId"].as_str() else {
            continue;
        };
        match e["method"].as_str().unwrap_or_default() {
            "Network.requestWillBeSent" => {
                let r = &p["request"];
                if !entries.contains_key(id) {
                    order.push(id.to_owned());
                }
                entries.insert(
                    id.to_owned(),
                    json!({
                        "pageref": "page_1",
                        "startedDateTime": chrono::DateTime::from_timestamp_millis((p["wallTime"].as_f64().unwrap_or(0.0) * 1000.0) as i64)
                            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)).unwrap_or_default(),
                        "time": 0,
                        "request": {"method": r["method"], "url": r["url"], "httpVersion": "", "headers": headers(&r["headers"]),
                                    "queryString": [], "cookies": [], "headersSize": -1, "bodySize": -1},
                        "response": {"status": 0, "statusText": "", "httpVersion": "", "headers": [], "cookies": [],
                                     "content": {"size": 0, "mimeType": ""}, "redirectURL": "", "headersSize": -1, "bodySize": -1},
                        "cache": {}, "timings": {"send": 0, "wait": 0, "receive": 0},
                        "_timestamp": p["timestamp"],
                    }),
                );
            }
            "Network.responseReceived" => {
                if let Some(entry) = entries.get_mut(id) {
                    let r = &p["response"];
                    entry["response"]["status"] = r["status"].clone();
                    entry["response"]["statusText"] = r["statusText"].clone();
                    entry["response"]["httpVersion"] = r["protocol"].clone();
                    entry["response"]["headers"] = json!(headers(&r["headers"]));
                    entry["response"]["content"]["mimeType"] = r["mimeType"].clone();
                    entry["request"]["httpVersion"] = r["protocol"].clone();
                    entry["serverIPAddress"] = r["remoteIPAddress"].clone();
                }
            }
            "Network.loadingFinished" | "Network.loadingFailed" => {
                if let Some(entry) = entries.get_mut(id) {
                    let took = (p["timestamp"].as_f64().unwrap_or(0.0)
                        - entry["_timestamp"].as_f64().unwrap_or(0.0))
                        * 1000.0;
                    entry["time"] = json!(took.max(0.0));
                    entry["timings"]["receive"] = json!(took.max(0.0));
                    if let Some(size) = p["encodedDataLength"].as_f64() {
                        entry["response"]["bodySize"] = json!(size);
                        entry["response"]["content"]["size"] = json!(size);
                    }
                    if let Some(error) = p["errorText"].as_str() {
                        entry["_error"] = json!(error);
                    }
                }
            }
            _ => {}
        }
    }
    let entries: Vec<Value> = order
        .iter()
        .filter_map(|id| entries.remove(id))
        .map(|mut e| {
            if let Some(o) = e.as_object_mut() {
                o.remove("_timestamp");
            }
            e
        })
        .collect();
    json!({"log": {
        "version": "1.2",
        "creator": {"name": "Corridor", "version": env!("CARGO_PKG_VERSION")},
        "browser": {"name": "Chromium", "version": browser["product"]},
        "pages": [{"id": "page_1", "startedDateTime": started, "title": page_url, "pageTimings": {}}],
        "entries": entries,
    }})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_har_pairs_requests_with_their_responses_in_order() {
        let events = vec![
            json!({"method": "Network.requestWillBeSent", "params": {"requestId": "1", "timestamp": 1.0, "wallTime": 1_764_900_000.0,
                   "request": {"method": "GET", "url": "https://shop.example/item", "headers": {"Accept": "text/html"}}}}),
            json!({"method": "Network.requestWillBeSent", "params": {"requestId": "2", "timestamp": 1.1, "wallTime": 1_764_900_000.1,
                   "request": {"method": "GET", "url": "https://shop.example/logo.png", "headers": {}}}}),
            json!({"method": "Network.responseReceived", "params": {"requestId": "1", "response": {"status": 200, "statusText": "OK",
                   "protocol": "http/1.1", "headers": {"Content-Type": "text/html"}, "mimeType": "text/html", "remoteIPAddress": "93.184.216.34"}}}),
            json!({"method": "Network.loadingFinished", "params": {"requestId": "1", "timestamp": 1.25, "encodedDataLength": 5120.0}}),
            json!({"method": "Network.loadingFailed", "params": {"requestId": "2", "timestamp": 1.3, "errorText": "net::ERR_BLOCKED"}}),
        ];
        let h = har(
            &events,
            &json!({"product": "Chrome/142"}),
            "https://shop.example/item",
            "2025-12-05T00:00:00.000Z",
        );
        let entries = h["log"]["entries"].as_array().unwrap();
        assert_eq!(h["log"]["version"], "1.2");
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0]["request"]["url"], "https://shop.example/item");
        assert_eq!(entries[0]["response"]["status"], 200);
        assert_eq!(entries[0]["response"]["bodySize"], 5120.0);
        assert_eq!(entries[0]["serverIPAddress"], "93.184.216.34");
        assert!((entries[0]["time"].as_f64().unwrap() - 250.0).abs() < 1.0);
        assert_eq!(entries[1]["_error"], "net::ERR_BLOCKED");
        assert!(entries[0].get("_timestamp").is_none());
    }
}
