// Knowledge: the user's files (pages/knowledge/files.js: uploads with their progress, each file's status and
// the reason it failed, delete) and collections (pages/knowledge/collections.js: create, rename or describe,
// delete, add and remove files).
import {h, replace} from "../dom.js";
import {t} from "../i18n.js";
import {collectionsSection} from "./knowledge/collections.js";
import {filesSection} from "./knowledge/files.js";
import {pageHeader} from "./page-header.js";

export async function mount(root) {
    const files = filesSection({changed: () => collections.refreshPickers(), deleted: () => collections.load()});
    const collections = collectionsSection({files: files.files});
    replace(root, h("div", {class: "page"}, pageHeader(root, t("knowledge.title")), files.section, collections.section));
    await files.load();
    await collections.load();
    return files.close;
}
