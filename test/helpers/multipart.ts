/** A multipart/form-data body with one file (and optional text fields), for fastify.inject. */
export function multipart(fileName: string, content: Buffer | string, fields: Record<string, string> = {}, contentType = 'application/octet-stream') {
  const boundary = '----fabrique-test-boundary';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`));
  parts.push(Buffer.isBuffer(content) ? content : Buffer.from(content));
  parts.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A CSV of contributions on the four CNR themes (made-up texts). */
export function contributionsCsv(n = 48): string {
  const topics = [
    ['1', 'Trouver un médecin traitant est impossible depuis le départ en retraite du généraliste'],
    ['2', 'Les urgences de l’hôpital ferment la nuit, il faut faire 80 km'],
    ['3', 'Aider les internes à se loger pour les stages en zone rurale'],
    ['4', 'Développer le sport santé et la prévention dans les écoles'],
  ];
  const rows = ['Texte;Thème'];
  for (let i = 0; i < n; i++) { const [th, tx] = topics[i % 4]!; rows.push(`${tx} (remarque ${i});${th}`); }
  return rows.join('\r\n') + '\r\n';
}
