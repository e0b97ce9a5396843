// English and Brazilian Portuguese. The language comes from the browser unless the user picked one (kept in
// localStorage); t("key", {name}) fills {name} placeholders. A key missing from pt-BR falls back to English,
// and a key missing everywhere shows itself, so a gap is visible rather than blank.

const STRINGS = {
    "en": {
        "app.name": "Nosso",
        "app.loading": "Loading…",
        "error.status": "The server answered {status}.",
        "error.network": "The server cannot be reached. Check your connection.",
        "error.notFound": "This page does not exist.",
        "nav.skip": "Skip to content",
        "language.label": "Language",
        "theme.label": "Theme",
        "theme.system": "System",
        "theme.light": "Light",
        "theme.dark": "Dark",
        "auth.email": "Email",
        "auth.password": "Password",
        "auth.name": "Name",
        "auth.signIn": "Sign in",
        "auth.signInTitle": "Sign in to Nosso",
        "auth.signUp": "Create an account",
        "auth.signUpTitle": "Create your account",
        "auth.noAccount": "No account yet?",
        "auth.haveAccount": "Already have an account?",
        "auth.signOut": "Sign out",
        "auth.pendingTitle": "Waiting for approval",
        "auth.pending": "Your account {email} was created. An administrator must approve it before you can chat.",
        "auth.checkAgain": "Check again",
        "auth.setupTitle": "Create the administrator",
        "auth.setupHelp": "This link was printed in the server's log at start-up. It works once.",
        "auth.setupNoToken": "This page needs the link from the server's log (it ends with ?token=…). "
            + "If an administrator exists already, sign in instead.",
        "auth.setupSubmit": "Create and sign in",
        "sidebar.label": "Chats",
        "sidebar.newChat": "New chat",
        "sidebar.search": "Search chats",
        "sidebar.byMeaning": "By meaning",
        "sidebar.pinned": "Pinned",
        "sidebar.recent": "Chats",
        "sidebar.archived": "Archived",
        "sidebar.showArchived": "Show archived chats",
        "sidebar.hideArchived": "Back to chats",
        "sidebar.empty": "No chats yet.",
        "sidebar.noArchived": "No archived chats.",
        "sidebar.filter": "Show",
        "sidebar.allChats": "All chats",
        "sidebar.noResults": "Nothing found.",
        "sidebar.results": "Results",
        "sidebar.actions": "Actions for {title}",
        "sidebar.toggle": "Menu",
        "sidebar.pages": "Pages",
        "menu.settings": "Settings",
        "menu.knowledge": "Knowledge",
        "menu.admin": "Admin",
        "sidebar.close": "Close menu",
        "chat.pin": "Pin",
        "chat.unpin": "Unpin",
        "chat.rename": "Rename",
        "chat.archive": "Archive",
        "chat.unarchive": "Unarchive",
        "chat.delete": "Delete",
        "chat.newTitle": "New title",
        "chat.confirmDelete": "Delete “{title}” and all its messages? This cannot be undone.",
        "chat.folder": "Folder",
        "chat.noFolder": "No folder",
        "chat.tags": "Tags",
        "chat.moveToFolder": "Move to folder",
        "chat.newFolder": "Or a new folder",
        "chat.newFolderName": "Name of the new folder",
        "chat.editTags": "Tags",
        "chat.tagsHelp": "Tags, separated by commas",
        "dialog.ok": "OK",
        "dialog.cancel": "Cancel",
        "dialog.save": "Save",
        "code.copy": "Copy",
        "code.copied": "Copied",
        "code.copyFailed": "Copy failed",
    },
    "pt-BR": {
        "app.loading": "Carregando…",
        "error.status": "O servidor respondeu {status}.",
        "error.network": "Não foi possível falar com o servidor. Verifique sua conexão.",
        "error.notFound": "Esta página não existe.",
        "nav.skip": "Pular para o conteúdo",
        "language.label": "Idioma",
        "theme.label": "Tema",
        "theme.system": "Sistema",
        "theme.light": "Claro",
        "theme.dark": "Escuro",
        "auth.email": "E-mail",
        "auth.password": "Senha",
        "auth.name": "Nome",
        "auth.signIn": "Entrar",
        "auth.signInTitle": "Entrar no Nosso",
        "auth.signUp": "Criar uma conta",
        "auth.signUpTitle": "Crie sua conta",
        "auth.noAccount": "Ainda não tem conta?",
        "auth.haveAccount": "Já tem uma conta?",
        "auth.signOut": "Sair",
        "auth.pendingTitle": "Aguardando aprovação",
        "auth.pending": "Sua conta {email} foi criada. Um administrador precisa aprová-la antes que você possa conversar.",
        "auth.checkAgain": "Verificar de novo",
        "auth.setupTitle": "Criar o administrador",
        "auth.setupHelp": "Este link foi exibido no log do servidor ao iniciar. Ele funciona uma vez.",
        "auth.setupNoToken": "Esta página precisa do link do log do servidor (termina em ?token=…). "
            + "Se já existe um administrador, entre.",
        "auth.setupSubmit": "Criar e entrar",
        "sidebar.label": "Conversas",
        "sidebar.newChat": "Nova conversa",
        "sidebar.search": "Buscar conversas",
        "sidebar.byMeaning": "Por significado",
        "sidebar.pinned": "Fixadas",
        "sidebar.recent": "Conversas",
        "sidebar.archived": "Arquivadas",
        "sidebar.showArchived": "Ver conversas arquivadas",
        "sidebar.hideArchived": "Voltar às conversas",
        "sidebar.empty": "Nenhuma conversa ainda.",
        "sidebar.noArchived": "Nenhuma conversa arquivada.",
        "sidebar.filter": "Mostrar",
        "sidebar.allChats": "Todas as conversas",
        "sidebar.noResults": "Nada encontrado.",
        "sidebar.results": "Resultados",
        "sidebar.actions": "Ações para {title}",
        "sidebar.toggle": "Menu",
        "sidebar.pages": "Páginas",
        "menu.settings": "Configurações",
        "menu.knowledge": "Conhecimento",
        "menu.admin": "Administração",
        "sidebar.close": "Fechar menu",
        "chat.pin": "Fixar",
        "chat.unpin": "Desafixar",
        "chat.rename": "Renomear",
        "chat.archive": "Arquivar",
        "chat.unarchive": "Desarquivar",
        "chat.delete": "Excluir",
        "chat.newTitle": "Novo título",
        "chat.confirmDelete": "Excluir “{title}” e todas as suas mensagens? Não dá para desfazer.",
        "chat.folder": "Pasta",
        "chat.noFolder": "Sem pasta",
        "chat.tags": "Etiquetas",
        "chat.moveToFolder": "Mover para pasta",
        "chat.newFolder": "Ou uma pasta nova",
        "chat.newFolderName": "Nome da pasta nova",
        "chat.editTags": "Etiquetas",
        "chat.tagsHelp": "Etiquetas, separadas por vírgulas",
        "dialog.ok": "OK",
        "dialog.cancel": "Cancelar",
        "dialog.save": "Salvar",
        "code.copy": "Copiar",
        "code.copied": "Copiado",
        "code.copyFailed": "Falha ao copiar",
    },
};

export const LANGUAGES = [{code: "en", name: "English"}, {code: "pt-BR", name: "Português (Brasil)"}];
const KEY = "nosso.language";

let current = choose();

function choose() {
    const saved = localStorage.getItem(KEY);
    if (saved && STRINGS[saved]) {
        return saved;
    }
    for (const wanted of navigator.languages || [navigator.language]) {
        if ((wanted || "").toLowerCase().startsWith("pt")) {
            return "pt-BR";
        }
        if ((wanted || "").toLowerCase().startsWith("en")) {
            return "en";
        }
    }
    return "en";
}

export function language() {
    return current;
}

/** Switches the language and remembers the choice; the caller re-renders. */
export function setLanguage(code) {
    if (STRINGS[code]) {
        current = code;
        localStorage.setItem(KEY, code);
        document.documentElement.lang = code;
    }
}

/** Adds strings, so a page module can keep its own table beside its code. */
export function addStrings(tables) {
    for (const [code, strings] of Object.entries(tables)) {
        Object.assign(STRINGS[code] ||= {}, strings);
    }
}

export function t(key, params = {}) {
    const text = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

document.documentElement.lang = current;
