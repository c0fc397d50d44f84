/** Writes `<name>-key.pem` and `<name>-cert.pem` into `dir` and returns their paths and contents. */
export declare function selfSignedCertificate(
  dir: string,
  name?: string,
): { keyFile: string; certFile: string; key: string; cert: string };
