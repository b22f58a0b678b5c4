/** The demos `serve --demo` seeds, and where their tokens are scoped: everything, or one town or street. */
export const DEMO_REGIONS: Readonly<Record<string, { readonly root: string; readonly town: string }>> = {
  huitong: { root: 'huitong', town: 'lincheng' },
  kaiyuan: { root: 'kaiyuan', town: 'kaiyuan-jd' },
  changsha: { root: 'changsha', town: 'cs-st1' },
};
