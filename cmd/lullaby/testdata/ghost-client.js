// check.js drives the official Ghost Content API client against a running
// Lullaby and prints what it got as JSON, for TestGhostContentAPIClient to
// compare with what the test published. Usage:
//
//	NODE_PATH=testdata/npm/node_modules node ghost-client.js <url> <key>
'use strict';
const GhostContentAPI = require('@tryghost/content-api');

async function main() {
    const [url, key] = process.argv.slice(2);
    const api = new GhostContentAPI({url, key, version: 'v5.0'});
    const out = {};

    // Browse with a filter, includes and pagination: every page, 2 at a time.
    out.pages = [];
    for (let page = 1; ; page++) {
        const posts = await api.posts.browse({filter: 'tag:naps', include: 'tags,authors', limit: 2, page});
        out.pages.push({meta: posts.meta, posts: posts.map(p => ({
            id: p.id, slug: p.slug, title: p.title, html: p.html, published_at: p.published_at,
            primary_tag: p.primary_tag && p.primary_tag.slug, tags: p.tags.map(t => t.slug),
            primary_author: p.primary_author && p.primary_author.name, featured: p.featured, url: p.url
        }))});
        if (!posts.meta.pagination.next) {
            break;
        }
    }
    out.featured = (await api.posts.browse({filter: 'featured:true', fields: 'slug'})).map(p => p.slug);

    const bySlug = await api.posts.read({slug: out.pages[0].posts[0].slug}, {formats: 'html,plaintext'});
    out.bySlug = {id: bySlug.id, title: bySlug.title, html: bySlug.html, plaintext: bySlug.plaintext, excerpt: bySlug.excerpt};
    out.byId = (await api.posts.read({id: bySlug.id})).slug;

    const tags = await api.tags.browse({include: 'count.posts', limit: 'all'});
    out.tags = tags.map(t => ({slug: t.slug, name: t.name, posts: t.count.posts}));
    out.tagBySlug = (await api.tags.read({slug: 'naps'})).name;

    const authors = await api.authors.browse();
    out.authors = authors.map(a => ({name: a.name, slug: a.slug}));
    out.authorBySlug = (await api.authors.read({slug: authors[0].slug})).name;

    const settings = await api.settings.browse();
    out.settings = {title: settings.title, description: settings.description, url: settings.url};

    out.pagesList = (await api.pages.browse()).map(p => p.slug);

    // Errors come back as Ghost's, with their type as the error's name.
    try {
        await api.posts.browse({filter: 'title:~sleep'});
        out.badFilter = null;
    } catch (err) {
        out.badFilter = {name: err.name, message: err.message, context: err.context};
    }
    try {
        await api.posts.read({slug: 'no-such-post'});
        out.missing = null;
    } catch (err) {
        out.missing = {name: err.name, message: err.message};
    }
    process.stdout.write(JSON.stringify(out));
}

main().catch((err) => {
    process.stderr.write(String(err && err.stack || err) + '\n');
    process.exit(1);
});
