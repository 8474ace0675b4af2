// wp-client.js drives the wpapi client (WordPress REST API) against a
// running Lullaby and prints what it got as JSON, for
// TestWordPressAPIClient to compare with what the test published. Usage:
//
//	NODE_PATH=testdata/npm/node_modules node wp-client.js <site url>
'use strict';
const WPAPI = require('wpapi');

async function main() {
    const [url] = process.argv.slice(2);
    const out = {};

    // Discovery: HEAD the site, follow its Link rel="https://api.w.org/",
    // read the index's routes.
    const wp = await WPAPI.discover(url);

    const posts = await wp.posts().embed().perPage(100);
    out.posts = posts.map(p => ({
        id: p.id, slug: p.slug, title: p.title.rendered, content: p.content.rendered, link: p.link,
        status: p.status, type: p.type, format: p.format, sticky: p.sticky, categories: p.categories, tags: p.tags,
        featured_media: p.featured_media, author: p.author,
        embedded_author: p._embedded.author[0].name,
        embedded_terms: p._embedded['wp:term'].map(list => list.map(t => t.slug)),
        seo_title: p.yoast_head_json && p.yoast_head_json.title
    }));
    out.total = posts._paging && posts._paging.total;

    const page2 = await wp.posts().perPage(1).page(2);
    out.page2 = {slugs: page2.map(p => p.slug), total: page2._paging.total, totalPages: page2._paging.totalPages,
        hasNext: !!page2._paging.next, hasPrev: !!page2._paging.prev};

    const cats = await wp.categories();
    out.categories = cats.map(c => ({id: c.id, name: c.name, slug: c.slug, count: c.count}));
    const science = cats.find(c => c.slug === 'sleep-science');
    out.inScience = (await wp.posts().categories(science.id)).map(p => p.slug);
    const tags = await wp.tags();
    out.tags = tags.map(t => ({id: t.id, slug: t.slug, count: t.count}));
    const naps = tags.find(t => t.slug === 'naps');
    out.tagged = (await wp.posts().tags(naps.id)).map(p => p.slug);
    out.sticky = (await wp.posts().sticky(true)).map(p => p.slug);
    out.bySlug = (await wp.posts().slug(out.posts[0].slug)).map(p => p.id);
    out.byId = (await wp.posts().id(out.posts[1].id)).slug;
    out.user = (await wp.users().id(out.posts[0].author)).name;

    try {
        await wp.posts().perPage(1000);
        out.tooMany = null;
    } catch (err) {
        out.tooMany = {code: err.code, status: err.data && err.data.status, params: err.data && err.data.params};
    }
    try {
        await wp.posts().id(999999);
        out.missing = null;
    } catch (err) {
        out.missing = {code: err.code, status: err.data && err.data.status};
    }
    process.stdout.write(JSON.stringify(out));
}

main().catch((err) => {
    process.stderr.write(String(err && err.stack || JSON.stringify(err)) + '\n');
    process.exit(1);
});
