/** The smallest config text that loads: Onlinesim's push URL and key, and the modem ports. */
export const MINIMAL_CONFIG = `
onlinesim:
  pushUrl: https://push.example/v1/PUSH_SMS
  apiKey: test-key
modems:
  ports: ["/dev/gsm/*"]
`;
