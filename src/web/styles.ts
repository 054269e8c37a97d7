// The one stylesheet, served from /app.css so the Content-Security-Policy needs no
// 'unsafe-inline'. Colours meet WCAG AA contrast on white (#166534 on #fff is 7.1:1).
export const STYLESHEET = `
*,*::before,*::after{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;line-height:1.5;color:#111827;background:#fff}
a{color:#166534}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,summary:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem}
.skip:focus{left:.5rem}
.top{border-bottom:1px solid #d1d5db;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.75rem;align-items:center}
.brand{color:#166534;font-weight:700;text-decoration:none;margin-right:auto}
.top nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.75rem;margin:0;padding:0;align-items:center}
.top form{display:inline;margin:0}
main{max-width:46rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;line-height:1.25}
h2{font-size:1.2rem}
h3{font-size:1.05rem;margin:0 0 .25rem}
code{background:#f3f4f6;padding:0 .2rem;border-radius:3px;overflow-wrap:anywhere}
button,.button{font:inherit;background:#166534;color:#fff;border:0;border-radius:6px;padding:.45rem .9rem;cursor:pointer;text-decoration:none;display:inline-block;min-height:2.5rem}
button.secondary{background:#fff;color:#166534;border:1px solid #166534}
button.danger{background:#b91c1c}
.link-button{background:none;color:#166534;text-decoration:underline;padding:0;min-height:0}
label{font-weight:600;display:block;margin-top:.75rem}
label.check{font-weight:400;display:flex;gap:.5rem;align-items:center}
input[type=email],input[type=text],input[type=time],select{font:inherit;padding:.4rem;border:1px solid #6b7280;border-radius:4px;width:100%;max-width:24rem}
input[type=checkbox]{width:1.2rem;height:1.2rem}
.hint{color:#4b5563;font-size:.9rem;margin:.15rem 0}
.error{color:#b91c1c;font-weight:600}
.notice{background:#f0fdf4;border:1px solid #166534;border-radius:6px;padding:.75rem}
.alert{background:#fef2f2;border:1px solid #b91c1c;border-radius:6px;padding:.75rem}
.tabs{list-style:none;display:flex;flex-wrap:wrap;gap:.5rem;padding:0}
.tabs a{padding:.3rem .6rem;border:1px solid #d1d5db;border-radius:999px;text-decoration:none}
.tabs a[aria-current=page]{background:#166534;color:#fff;border-color:#166534}
.thread{border:1px solid #d1d5db;border-radius:8px;padding:.75rem;margin:.75rem 0}
.meta{color:#4b5563;margin:.1rem 0;font-size:.95rem}
.snippet{white-space:pre-wrap;overflow-wrap:anywhere;border-left:3px solid #d1d5db;padding-left:.5rem;color:#374151}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}
.actions form{margin:0}
.actions label{margin-top:0;font-size:.9rem}
.actions input[type=text]{width:8rem}
fieldset{border:1px solid #d1d5db;border-radius:6px;margin:1rem 0}
.chart{max-width:100%;height:auto}
.legend{display:flex;flex-wrap:wrap;gap:1rem;list-style:none;padding:0}
.swatch{display:inline-block;width:.9rem;height:.9rem;margin-right:.3rem;vertical-align:middle}
.s-outreach{background:#166534}.s-followup{background:#1d4ed8}.s-reply{background:#b45309}.s-call{background:#7e22ce}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #e5e7eb;padding:.3rem;text-align:left}
pre{white-space:pre-wrap;overflow-wrap:anywhere}
.mail{border:1px solid #d1d5db;border-radius:8px;padding:12px;margin:12px 0}
`;
