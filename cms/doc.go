// Package cms is Lullaby's domain: posts, categories, references, media,
// lists, quizzes, settings and users; their input types and validation;
// the publishing rules, error kinds, slugs and Markdown rendering; the
// services that carry out every change, and the scheduler. It knows
// nothing of HTTP, of MongoDB or of how published content is served:
// storage is reached through the interfaces in store.go (implemented by
// cms/mongodb), and the read side (cms/readmodel) is told of published
// changes through the small Publisher interface (service.go), which
// cmd/lullaby wires. It imports no search engine, feed writer, image codec
// or web framework.
package cms
