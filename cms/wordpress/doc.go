// Package wordpress reads a WordPress export (WXR 1.1 and 1.2: RSS 2.0
// with the wp:, content:, excerpt: and dc: namespaces) into plain Go
// values. It knows nothing of Lullaby: the importer in cms maps what it
// returns onto posts, categories, media, pins, SEO fields, lists and
// redirects.
//
// It owns:
//   - streaming: NewReader reads the site header, then Next (or Items)
//     returns one Item at a time; memory stays bounded by
//     Options.MaxField whatever the file's size;
//   - hostile and damaged input: bytes XML forbids are removed before the
//     decoder sees them, a DOCTYPE or entity declaration is refused
//     (ErrEntities), a non-export is refused (ErrNotWXR), a cut file ends
//     with ErrTruncated after the whole items before the cut, and an
//     oversized field fails its item alone (*ItemError, ErrTooLarge);
//   - the body: ConvertHTML turns block-editor or classic HTML into
//     Markdown (wpautop for classic bodies, footnotes, galleries,
//     captions, embeds) and lists what it could not convert cleanly;
//   - plugin meta: Pinterest pins (Social Warfare, Tasty Pins, data-pin-*
//     attributes) and SEO titles and descriptions (Yoast, Rank Math).
//
// What the importer must do with the output:
//   - treat an item returned with an *ItemError as not imported (report
//     it with its reason) and go on; stop at any other error, keeping the
//     items already imported;
//   - match items by Item.ID on re-runs, decide per Item.Type what to do
//     (posts, pages, attachments; the rest is usually skipped) and map
//     Item.Status, flagging an unknown one (Status.Known);
//   - sanitise Body.Markdown like any user Markdown: it may hold HTML
//     (iframes, forms, repaired broken markup), each piece listed in
//     Body.Lossy;
//   - rewrite every Body.Images URL to the imported media, including the
//     AttachmentScheme URLs ("wp-attachment:12") of [gallery] shortcodes,
//     which name an attachment item by ID; never fetch a URL it has not
//     checked (private or loopback addresses, file: URLs);
//   - keep Item.OldPaths as redirects to the new post.
package wordpress
