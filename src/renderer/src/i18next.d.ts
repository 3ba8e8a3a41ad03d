import 'i18next';
import type { Strings } from '../../shared/locales';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: Strings;
  }
}
