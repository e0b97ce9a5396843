// Posts the one-time setup token from ?token= with the new administrator's details; on success the server
// has signed the administrator in, so the app opens.
const form = document.getElementById("setup");
const message = document.getElementById("message");
const token = new URLSearchParams(location.search).get("token");

if (!token) {
    message.textContent = "This page needs the link from the server's log (it ends with ?token=…).";
    form.querySelector("button").disabled = true;
}

form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    message.textContent = "";
    const response = await fetch("/api/v1/auth/setup", {
        method: "POST",
        headers: {"Content-Type": "application/json", "Accept": "application/json, application/problem+json"},
        body: JSON.stringify({
            token,
            name: data.get("name"),
            email: data.get("email"),
            password: data.get("password"),
        }),
    });
    if (response.ok) {
        location.replace("/");
        return;
    }
    const problem = await response.json().catch(() => ({}));
    message.textContent = problem.detail || `The server answered ${response.status}.`;
});
