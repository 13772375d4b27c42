/*
 * Mail clients ignore <style> blocks and most CSS layout, so the markup is tables with inline styles.
 * Colours and URLs reach these templates only after DisplayBranding has validated them.
 */

const FONT = 'font-family:Arial,Helvetica,sans-serif;';

/** Wraps a kind's body; `bodyHtml` is output of an escaping template, hence the triple braces. */
export const HTML_LAYOUT = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>{{subject}}</title>
</head>
<body style="margin:0;padding:0;background-color:#f4f4f5;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f4f4f5;">
<tr>
<td align="center" style="padding:24px 12px;">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background-color:#ffffff;border-top:4px solid {{brand.primaryColor}};">
<tr>
<td style="padding:24px 32px 8px 32px;${FONT}">
{{#if brand.logoUrl}}
<img src="{{brand.logoUrl}}" alt="{{brand.displayName}}" height="40" style="display:block;height:40px;width:auto;border:0;margin:0 0 12px 0;">
{{/if}}
<p style="margin:0;font-size:18px;font-weight:bold;color:#18181b;">{{brand.displayName}}</p>
</td>
</tr>
<tr>
<td style="padding:16px 32px 24px 32px;${FONT}font-size:15px;line-height:24px;color:#27272a;">
{{{bodyHtml}}}
</td>
</tr>
<tr>
<td style="padding:16px 32px 24px 32px;border-top:1px solid #e4e4e7;${FONT}font-size:12px;line-height:18px;color:#71717a;">
You receive this mail because of your account at {{brand.displayName}}.
{{#if brand.supportUrl}}
Need help? <a href="{{brand.supportUrl}}" style="color:{{brand.primaryColor}};">Contact support</a>.
{{/if}}
</td>
</tr>
</table>
</td>
</tr>
</table>
</body>
</html>
`;

/** A button that survives Outlook (a coloured cell around the link), with the bare link below it. */
export const BUTTON_PARTIAL = `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:24px 0;">
<tr>
<td align="center" bgcolor="{{brand.primaryColor}}" style="background-color:{{brand.primaryColor}};border-radius:6px;">
<a href="{{url}}" target="_blank" style="display:inline-block;padding:12px 24px;${FONT}font-size:15px;font-weight:bold;color:{{brand.buttonTextColor}};text-decoration:none;border-radius:6px;">{{label}}</a>
</td>
</tr>
</table>
<p style="margin:0 0 16px 0;font-size:13px;line-height:20px;color:#71717a;">If the button does not work, open this link:<br><a href="{{url}}" style="color:{{brand.primaryColor}};word-break:break-all;">{{url}}</a></p>
`;

export const TEXT_LAYOUT = `{{body}}

--
{{brand.displayName}}
{{#if brand.supportUrl}}
Support: {{brand.supportUrl}}
{{/if}}
`;

export const PARAGRAPH_STYLE = 'margin:0 0 16px 0;';
