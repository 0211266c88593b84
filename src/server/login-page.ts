/** @module The token login form of team mode: plain HTML, no script, so it works under the strict CSP. */

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** The login page; `next` is the (already vetted) page to return to. */
export function renderLoginPage(next: string, failed: boolean): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>pse-doctor — log in</title>
<link rel="stylesheet" href="/login.css">
</head>
<body>
<main>
<h1>pse-doctor</h1>
<p>This pse-doctor is shared by a team. Enter the access token (the content of the server's token file).</p>
${failed ? '<p class="error" role="alert">That token is not right.</p>' : ''}
<form method="post" action="/login">
<input type="hidden" name="next" value="${escapeHtml(next)}">
<label>Token <input type="password" name="token" autocomplete="current-password" required autofocus></label>
<button type="submit">Log in</button>
</form>
</main>
</body>
</html>
`;
}

export const LOGIN_CSS = `body{font-family:system-ui,sans-serif;background:#f5f6f8;color:#1b1f24;margin:0}
main{max-width:28rem;margin:12vh auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{margin-top:0}label{display:block;margin:1rem 0}input[type=password]{width:100%;padding:.5rem;font:inherit;box-sizing:border-box}
button{padding:.5rem 1.2rem;font:inherit}.error{color:#b00020;font-weight:600}
`;
