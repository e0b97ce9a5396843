package dev.nosso.retrieval;

// TEMPORARY stand-in for the retrieval branch's API, deleted before that branch is merged.
public enum SourceKind { FILE, MESSAGE }
