//! The headless-browser harness itself: Chromium opens a page, a field is filled, a button
//! clicked, the page changes and a screenshot is taken.

mod common;
#[test]
fn harness_works() {
    let Some(b) = common::browser::Browser::start() else {
        return;
    };
    eprintln!("started");
    b.goto("data:text/html,<title>T</title><input id=i><button id=b onclick=\"document.body.append('clicked:'+document.getElementById('i').value)\">go</button>");
    eprintln!("goto");
    b.fill("#i", "été");
    eprintln!("fill");
    b.click_css("#b");
    eprintln!("click");
    b.wait_for_text("clicked:été");
    eprintln!("text");
    let png = b.screenshot();
    assert!(png.starts_with(b"\x89PNG"));
    assert_eq!(b.title(), "T");
}
